// Fetches Go modules that carry compiled proto descriptors, with the `go` command, into a module
// cache under build/ (ignored by git). Go is used only to download; nothing is compiled or run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function goBinary() {
  if (process.env.GO) return process.env.GO;
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error('xds-types: the `go` command is needed to download the Envoy API descriptors (install Go 1.22+ or set GO=/path/to/go)');
}

export function goDownloader(cacheDir) {
  mkdirSync(cacheDir, { recursive: true });
  const go = goBinary();
  const env = {
    ...process.env,
    GOPATH: cacheDir,
    GOMODCACHE: join(cacheDir, 'mod'),
    // Writable cache files, so `rm -rf build` works; no toolchain switch for a download.
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
    GO111MODULE: 'on',
  };
  /** Downloads module@version (or reuses the cache) and returns its directory and go.mod path. */
  return function download(module, version) {
    const out = execFileSync(go, ['mod', 'download', '-json', `${module}@${version}`], { cwd: cacheDir, env, encoding: 'utf8' });
    const info = JSON.parse(out);
    if (info.Error || !info.Dir || !existsSync(info.Dir))
      throw new Error(`xds-types: go mod download ${module}@${version} failed: ${info.Error ?? 'no directory'}`);
    return { dir: info.Dir, goMod: info.GoMod };
  };
}

/** `require` versions of a go.mod file. */
export function requiredVersions(goModPath) {
  const versions = new Map();
  for (const match of readFileSync(goModPath, 'utf8').matchAll(/^\s*(?:require\s+)?([a-z0-9.\-/]+\.[a-z]+[a-z0-9.\-/]*)\s+(v[0-9][^\s]*)/gm)) {
    versions.set(match[1], match[2]);
  }
  return versions;
}

/** Every `.pb.go` file under dir (sorted, so the first of two claims to a proto name wins the same way every time). */
export function pbGoFiles(dir, under = '') {
  const files = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.pb.go') && !entry.name.endsWith('_grpc.pb.go') && !entry.name.endsWith('_vtproto.pb.go')) files.push(full);
    }
  };
  const root = join(dir, under);
  if (existsSync(root)) walk(root);
  return files;
}
