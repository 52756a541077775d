// `pnpm backendkit ...` in this repository: pnpm runs scripts in the repository root, so change to
// the folder the command was typed in (INIT_CWD) before the CLI resolves relative paths against
// the working directory, as the installed `backendkit` does. See docs/cli.md.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
void import('../packages/cli/src/run');
