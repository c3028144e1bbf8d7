// The routes an Express app really serves, read from its router stack: what the OpenAPI
// document is checked against, so a route added without its entry fails a test.
import type { Express } from 'express';

interface LayerLike {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: LayerLike[] };
  rawPath?: string;
  slash?: boolean;
}

function walk(stack: LayerLike[], prefix: string): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const route = layer.route;
      return Object.keys(route.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${prefix}${route.path}`);
    }
    if (layer.handle.stack) return walk(layer.handle.stack, prefix + (layer.slash ? '' : (layer.rawPath ?? '')));
    return [];
  });
}

/** Every route as "METHOD /path/:param", mounted routers included, each once. */
export function routesOf(app: Express): string[] {
  return [...new Set(walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, ''))];
}
