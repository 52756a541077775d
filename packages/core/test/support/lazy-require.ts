// jest runs the sources as CommonJS, where src/lazy-require.ts's import.meta does not exist; the same
// `require`, for the modules that load protobuf-es on first use (jest.config.ts maps it).
export const requireHere: NodeJS.Require = require;
