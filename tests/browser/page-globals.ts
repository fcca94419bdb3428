/**
 * The little of the page that functions handed to `page.evaluate` touch, typed here: the project's types have no
 * DOM (the Worker's code must not see it). Inside such a function, reach it as
 * `(globalThis as unknown as PageGlobals).document`; the function runs in Chromium, not here.
 */
export interface PageGlobals {
  document: {
    querySelectorAll(selector: string): { length: number };
    fonts: { ready: Promise<unknown> };
    activeElement: { blur?: () => void } | null;
  };
  axe?: {
    run(context: unknown, options: unknown): Promise<{ violations: unknown[] }>;
  };
}
