import path from 'node:path';
import madge from 'madge';

/**
 * The layout's promise (STYLE.md): stages depend on each other one way. A folder under src/ (or a
 * file at its root, or workers/) is one node; an import between two nodes is an edge; no set of
 * nodes may import each other round in a circle. Type-only imports do not count: they vanish at
 * run time and are how the domain names the ports that providers implement.
 */
const ROOT = path.join(__dirname, '..');

function nodeOf(file: string): string {
  const [top, second] = file.split('/');
  if (top === 'src') return second && file.split('/').length > 2 ? `src/${second}/` : file;
  return `${top}/`;
}

/** Tarjan's strongly connected components of size > 1: each one a cycle. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!indices.has(v)) visit(v);
  return found;
}

describe('the layout', () => {
  let graph: Record<string, string[]>;
  beforeAll(async () => {
    const result = await madge(['src', 'workers'], {
      baseDir: ROOT,
      fileExtensions: ['ts'],
      tsConfig: path.join(ROOT, 'tsconfig.json'),
      detectiveOptions: { ts: { skipTypeImports: true } },
    });
    graph = result.obj();
    expect(Object.keys(graph).length).toBeGreaterThan(100);
  });

  it('has no import cycle between files', () => {
    const edges = new Map(Object.entries(graph).map(([file, deps]) => [file, new Set(deps)]));
    expect(cycles(edges)).toEqual([]);
  });

  it('has no import cycle between folders (stages)', () => {
    const edges = new Map<string, Set<string>>();
    for (const [file, deps] of Object.entries(graph)) {
      const from = nodeOf(file);
      for (const dep of deps) {
        const to = nodeOf(dep);
        if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    expect(cycles(edges)).toEqual([]);
  });

  it('keeps the domain stages free of the concrete providers: they receive ports', () => {
    const domain = Object.entries(graph).filter(([file]) => /^src\/(disputes|evidence|submission|alerts)\//.test(file));
    const reachingProviders = domain.filter(([, deps]) => deps.some((d) => d.startsWith('src/providers/'))).map(([file]) => file);
    expect(reachingProviders).toEqual([]);
  });
});
