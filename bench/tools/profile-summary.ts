/**
 * Summarizes a V8 .cpuprofile (from `npm run bench -- --profile`): self time by function and by
 * package, the heaviest first. Usage: tsx bench/tools/profile-summary.ts FILE [top=25]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const [file, topRaw] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary FILE [top]');
const top = Number(topRaw ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
const hits = new Map<number, number>();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const total = profile.samples.length;
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const n = hits.get(node.id) ?? 0;
  if (!n) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'nm:');
  const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + n);
  const pkg = url.includes('node_modules/')
    ? (/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? 'nm')
    : url.startsWith('node:') || url === ''
      ? functionName.startsWith('(')
        ? functionName
        : 'node internals'
      : url.includes('/server/src/')
        ? 'server/src'
        : url;
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n);
}
const show = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, n] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}\n`);
  }
};
show('self time by package', byPackage);
show('self time by function', byFunction);
