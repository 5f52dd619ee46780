// @ts-check
// Takes the main thread's JavaScript stack from another thread (the watchdog, the console): Runtime.evaluate over an inspector session.
// Plain JavaScript with node: and plain-JavaScript imports only: worker threads load it from dist/ and from lib/ under vitest alike.
import { Session } from 'node:inspector';
import { clearLongTimeout, setLongTimeout } from '../utils/long-timeout.js';

/** @typedef {import('./watchdog-protocol.js').CapturedStack} CapturedStack */

/**
 * Evaluated on the main thread as a V8 interrupt, on top of whatever it is running. A named
 * function, so its own frames can be told from the app's. (Runtime.evaluate, never the
 * Debugger domain: that would disturb a developer's session and slow async code down.)
 */
const CAPTURE = `(function modeDiCaptureStack() {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  try { return new Error('modeDiCaptureStack').stack; } finally { Error.stackTraceLimit = limit; }
})()`;

/**
 * Frames of a captured stack, without the error line and the capture's own frames.
 * @param {string} stack
 * @returns {string}
 */
export function framesOf(stack) {
  const lines = stack.split('\n').slice(1);
  let first = 0;
  while (first < lines.length && /modeDiCaptureStack|\(?<anonymous>:\d+:\d+\)?$/.test(/** @type {string} */ (lines[first]))) first++;
  return lines.slice(first).join('\n');
}

/**
 * Takes the main thread's stack: one inspector session per capture (a session left open
 * would hold the process at exit under --inspect). Resolves with the frames, or `undefined`
 * once `timeoutMs` has passed without an answer; `late` settles when the answer comes (a
 * thread in native code answers when the call returns) or the session fails.
 * @param {number} timeoutMs
 * @returns {{ first: Promise<CapturedStack>, late: Promise<string | undefined> }}
 */
export function captureMainStack(timeoutMs) {
  /** @type {Promise<string | undefined>} */
  const late = new Promise((resolve) => {
    let session;
    try {
      session = new Session();
      session.connectToMainThread();
    } catch {
      resolve(undefined);
      return;
    }
    const open = session;
    open.post('Runtime.evaluate', { expression: CAPTURE, returnByValue: true, silent: true }, (error, result) => {
      open.disconnect();
      const value = error ? undefined : result?.result?.value;
      resolve(typeof value === 'string' ? framesOf(value) : undefined);
    });
  });
  const first = new Promise((resolve) => {
    const timer = setLongTimeout(() => resolve({ stack: undefined, native: true }), timeoutMs);
    late.then((stack) => {
      clearLongTimeout(timer);
      resolve({ stack, native: false });
    });
  });
  return { first: /** @type {Promise<CapturedStack>} */ (first), late };
}
