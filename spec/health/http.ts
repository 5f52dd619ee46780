// A tiny GET for the probe specs: resolves with the status and body, or with the socket error's code.
import { get } from 'node:http';

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export function probe(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

export function healthPortOf(stdout: string): number {
  const match = /Health checks on http:\/\/[^:]+:(\d+) /.exec(stdout);
  if (!match) throw new Error(`No "Health checks on" line in:\n${stdout}`);
  return Number(match[1]);
}
