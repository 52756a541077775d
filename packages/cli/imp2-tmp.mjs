const mods = process.argv.slice(2);
const out = [];
let last = process.cpuUsage();
for (const m of mods) {
  await import(m);
  const now = process.cpuUsage();
  out.push(Math.round((now.user + now.system - last.user - last.system) / 1000));
  last = now;
}
console.log(out.join(' '));
