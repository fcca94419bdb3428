/**
 * Hono answers 404 for a known path with an unregistered method; HTTP wants 405 with `Allow`.
 * This matcher finds which methods the app does register for a path, using the app's own route table.
 */
export interface RegisteredRoute {
  method: string;
  path: string;
}

const compiled = new Map<string, RegExp>();

function toRegExp(path: string): RegExp {
  let re = compiled.get(path);
  if (!re) {
    const pattern = path
      .split('/')
      .map((segment) => {
        if (segment === '*') return '.*';
        const param = /^:[A-Za-z0-9_]+(?:\{(.+)\})?(\?)?$/.exec(segment);
        if (param) return param[1] ? `(?:${param[1]})` : '[^/]+';
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    re = new RegExp(`^${pattern}/?$`);
    compiled.set(path, re);
  }
  return re;
}

export function allowedMethods(routes: readonly RegisteredRoute[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    // Middleware registers as ALL on wildcard paths; it says nothing about which methods exist.
    if (route.method === 'ALL') continue;
    if (toRegExp(route.path).test(path)) methods.add(route.method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  if (methods.size > 0) methods.add('OPTIONS');
  return [...methods].sort();
}
