// Adds to package-lock.json the optional, platform-specific packages of other platforms that the
// lock is missing (e.g. @swc/core-darwin-arm64 in a lock written on Linux).
//
// Why: the package registry these machines reach serves only some platforms' builds, so
// `npm install` here cannot resolve @swc/core-darwin-arm64 and leaves it out of the lock, and then
// `npm ci` refuses the lock as out of sync ("Missing: @swc/core-darwin-arm64@ from lock file").
// An entry naming the version, os and cpu is all npm ci needs to see that the package is for
// another platform and skip it, so nothing is downloaded for it. Packages for this platform are
// never invented: if one of those is missing, npm ci still fails, as it should.
//
// Usage: node .ci/complete-lock.js [path/to/package-lock.json]   (prints what it added)

const fs = require('node:fs');

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'netbsd', 'android', 'openharmony', 'sunos', 'aix'];
const CPU = ['x64', 'arm64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'wasm32'];

/** os, cpu and libc from a platform package's name, e.g. @swc/core-linux-arm-gnueabihf. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) return undefined;
  const libc =
    os === 'linux'
      ? parts.some((p) => p.startsWith('musl'))
        ? 'musl'
        : parts.some((p) => p.startsWith('gnu'))
          ? 'glibc'
          : undefined
      : undefined;
  return { os, cpu, libc };
}

function completeLock(file) {
  const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
  const packages = lock.packages ?? {};
  const added = [];
  for (const [path, pkg] of Object.entries(packages)) {
    // Only hoisted parents: their optional children belong at the top level too.
    if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) || !pkg.optionalDependencies) continue;
    for (const [name, spec] of Object.entries(pkg.optionalDependencies)) {
      const slot = `node_modules/${name}`;
      const platform = platformOf(name);
      if (packages[slot] || !platform || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) continue;
      if (platform.os === process.platform && platform.cpu === process.arch) continue;
      packages[slot] = {
        version: spec,
        cpu: [platform.cpu],
        ...(pkg.dev ? { dev: true } : {}),
        ...(pkg.devOptional ? { devOptional: true } : {}),
        ...(platform.libc ? { libc: [platform.libc] } : {}),
        optional: true,
        os: [platform.os],
      };
      added.push(`${name}@${spec}`);
    }
  }
  if (!added.length) return added;
  // npm writes the packages in this order: the root first, then by path.
  const sorted = Object.keys(packages).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en')));
  lock.packages = Object.fromEntries(sorted.map((k) => [k, packages[k]]));
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  return added;
}

const added = completeLock(process.argv[2] ?? 'package-lock.json');
if (added.length)
  console.log(`package-lock.json: added ${added.length} other-platform optional packages: ${added.join(', ')}`);
