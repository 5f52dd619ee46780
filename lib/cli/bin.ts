#!/usr/bin/env node
// The `mode-di` executable.
import { main } from './main.js';

await main(process.argv.slice(2));
