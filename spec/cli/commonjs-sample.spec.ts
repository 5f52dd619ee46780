// samples/commonjs run for real: plain CommonJS JavaScript, decorators applied by hand, mode-di through require(esm).
import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { messagesOf, startCli } from './harness.js';

function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('samples/commonjs', () => {
  it('injects by hand-applied decorators, runs the hooks in graph order, serves HTTP and stops cleanly on SIGINT', async () => {
    const cli = startCli(['run', 'samples/commonjs/app.module.cjs'], { env: { PORT: '0' } });
    await cli.waitFor('[^Worker]: Started');
    const port = Number(/\[\^-Webserver\]: Serving on port (\d+)/.exec(cli.stdout)![1]);
    // Sessions' onStart ran (open) and both dependencies were injected by inject(), with no design:paramtypes.
    expect(JSON.parse(await httpGet(port, '/users'))).toEqual({ sessions: true, users: 0, path: '/users' });

    cli.kill('SIGINT');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    const messages = messagesOf(exit.stdout);
    const at = (message: string) => messages.indexOf(message);
    expect(at('[^--Sessions]: Starting...')).toBeGreaterThan(-1);
    expect(at('[^-Webserver]: Starting...')).toBeGreaterThan(at('[^--Sessions]: Starting...'));
    expect(at('[^--Sessions]: Stopping...')).toBeGreaterThan(at('[^-Webserver]: -Stopped!'));
    expect(messages.at(-1)).toBe('[^Worker]: -Stopped!');
  });
});
