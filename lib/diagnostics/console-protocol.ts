// What the main thread and the console thread say to each other (types only: the console thread is plain JavaScript).

/**
 * Where the console listens, as the console thread is told: a unix socket, or a TCP port.
 * @example
 * ```ts
 * const where: ConsoleListen = { socket: '/run/app/console.sock' };
 * ```
 */
export type ConsoleListen = { readonly socket: string } | { readonly port: number; readonly host: string };

/**
 * What the console thread is started with (`workerData`).
 * @example
 * ```ts
 * new Worker(script, { workerData: { listen: { port: 0, host: '127.0.0.1' }, token: 'x'.repeat(32), maxConnections: 4, authTimeoutMs: 5_000, captureTimeoutMs: 1_000, busyNoticeMs: 1_000 } satisfies ConsoleThreadSettings });
 * ```
 */
export interface ConsoleThreadSettings {
  readonly listen: ConsoleListen;
  /** Required as the first line of every TCP connection (unix sockets rely on the file's mode). */
  readonly token: string | undefined;
  readonly maxConnections: number;
  /** A TCP client that has not sent its token by then is disconnected. */
  readonly authTimeoutMs: number;
  /** How long `stack` waits for the main thread before calling it native code. */
  readonly captureTimeoutMs: number;
  /** A command the main thread has not answered by then gets a note that its loop is busy. */
  readonly busyNoticeMs: number;
}

/**
 * What the main thread last said about itself, sent every second while a client is connected:
 * the console thread answers `services` and `tasks` from it while the main loop is blocked.
 * @example
 * ```ts
 * const snapshot: ConsoleSnapshot = { at: Date.now(), answers: { services: 'SERVICE  STATE …' } };
 * ```
 */
export interface ConsoleSnapshot {
  /** When it was taken (epoch milliseconds). */
  readonly at: number;
  /** The answer to each command it holds, by command. */
  readonly answers: Readonly<Record<string, string>>;
}

/** Messages from the console thread. */
export type ConsoleThreadMessage =
  | { readonly type: 'listening'; readonly address: string }
  | { readonly type: 'failed'; readonly message: string; readonly code: string | undefined }
  | { readonly type: 'opened'; readonly connection: number }
  | { readonly type: 'command'; readonly connection: number; readonly id: number; readonly line: string }
  | { readonly type: 'js-open'; readonly connection: number }
  | { readonly type: 'js-input'; readonly connection: number; readonly data: string }
  | { readonly type: 'closed'; readonly connection: number };

/** Messages to the console thread. */
export type ConsoleMainMessage =
  | { readonly type: 'reply'; readonly id: number; readonly text: string }
  | { readonly type: 'snapshot'; readonly snapshot: ConsoleSnapshot }
  | { readonly type: 'js-output'; readonly connection: number; readonly data: string }
  | { readonly type: 'js-closed'; readonly connection: number }
  | { readonly type: 'close' };
