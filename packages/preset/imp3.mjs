await import('zod'); await import('@backendkit/core'); await import('@backendkit/core/helpers'); await import('@backendkit/core/schema');
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 50 }); await s.post('Profiler.start');
const c = process.cpuUsage();
await import(process.argv[2]);
const u = process.cpuUsage(c);
const { profile } = await s.post('Profiler.stop');
(await import('node:fs')).writeFileSync('/tmp/imp3.cpuprofile', JSON.stringify(profile));
console.log(process.argv[2], ((u.user + u.system) / 1000).toFixed(1), 'ms cpu');
