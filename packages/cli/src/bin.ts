import module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runsStandalone } from './config-file';
import { runInChild, wantsChild } from './large-input';

// Node 22.1 and later keep the compiled code of every module loaded after this on disk (in the
// system's temporary folder), so a second run skips compiling them; NODE_DISABLE_COMPILE_CACHE=1
// turns it off. Older Node has no such call (docs/performance.md, "CLI start-up").
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const launch = { args: process.argv.slice(2), cwd: process.cwd(), env: process.env, execArgv: process.execArgv };

// Which build of the command to run (docs/cli.md, "How the command starts"). A translation that
// loads no module of the user's takes the self-contained build: one file instead of several
// hundred, a start about a third quicker (docs/performance.md, "CLI start-up"). Every other run
// takes the ES-module build, which imports @backendkit/* as installed, so that a plugin and the CLI
// share one copy of each package, and which loads no more than `--help` needs.
function start(): void {
  if (runsStandalone(launch.args, launch.cwd)) {
    createRequire(import.meta.url)('./run-standalone.cjs');
  } else {
    void import(new URL('./run.js', import.meta.url).href);
  }
}

// A translation of large files runs in a child with V8 flags for a long run (docs/cli.md).
if (wantsChild(launch)) runInChild(fileURLToPath(import.meta.url), launch.args, start);
else start();
