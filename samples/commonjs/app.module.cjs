// A mode-di app in plain CommonJS JavaScript: `npx mode-di run samples/commonjs/app.module.cjs`, Ctrl-C to stop.
// JavaScript has no decorator syntax and no emitDecoratorMetadata: each class is decorated by hand
// after its definition, and every constructor parameter names what it receives with inject().
'use strict';
const { once } = require('node:events');
const { createServer } = require('node:http');
const { ContainerModule, decorate, inject, injectable } = require('inversify');
const { Service, onStart, onStop, timer } = require('mode-di'); // require(esm): Node >= 20.19

/** A plain class with lifecycle hooks (the DI style): opened before its dependents start, closed after they stop. */
class Sessions {
  constructor() {
    this.open = false;
  }
  connect(signal) {
    signal.throwIfAborted(); // start hooks receive an AbortSignal
    this.open = true;
  }
  disconnect() {
    this.open = false;
  }
}
decorate(injectable(), Sessions);
decorate(onStart({ timeout: '5s' }), Sessions, 'connect');
decorate(onStop(), Sessions, 'disconnect');

/** Users by id, with a timer that drops the expired ones every second (the Mode style: a Service). */
class UserCache extends Service {
  constructor() {
    super();
    this.users = new Map();
  }
  removeExpiredUsers() {
    const now = Date.now();
    for (const [id, user] of this.users) if (user.expires <= now) this.users.delete(id);
  }
}
decorate(injectable(), UserCache);
decorate(timer('1s'), UserCache, 'removeExpiredUsers');

/** An HTTP server on `PORT` (default 8000; 0 picks a free port); starts after what it receives. */
class Webserver extends Service {
  constructor(sessions, users) {
    super();
    this.sessions = sessions;
    this.users = users;
    this.server = undefined;
  }
  async onStart() {
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ sessions: this.sessions.open, users: this.users.users.size, path: request.url }));
    });
    server.listen(Number(process.env.PORT ?? 8000), '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.log.info('Serving on port %d', server.address().port);
  }
  async onStop() {
    const server = this.server;
    if (!server) return;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }
}
decorate(injectable(), Webserver);
decorate(inject(Sessions), Webserver, 0);
decorate(inject(UserCache), Webserver, 1);

// `mode-di run` runs the module's export: module.exports is what `export default` is in an ES module.
module.exports = new ContainerModule(({ bind }) => {
  bind(Webserver).toSelf().inSingletonScope();
  bind(Sessions).toSelf().inSingletonScope();
  bind(UserCache).toSelf().inSingletonScope();
});
