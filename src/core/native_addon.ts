// Loading the package's Node-API addons (build/Release/<name>.node, built by npm's install step:
// tools/build_native.mjs), and saying why one is not there.

interface NodeProcess { getBuiltinModule?(id: string): unknown }
const proc = (globalThis as { process?: NodeProcess }).process;

/**
 * The addon `name`, or null with the reason: `what` names it in the message, `unavailable` is
 * the file in build/ where the install recorded why it was not built, `prerequisites` what a
 * user installs to get it. The reason is null where no addon can load at all (no Node).
 */
export function loadAddon<T>(name: string, what: string, unavailable: string, prerequisites: string): [T | null, string | null] {
  const mod = proc?.getBuiltinModule?.("node:module") as typeof import("node:module") | undefined;
  if (!mod) return [null, null];
  const fs = proc!.getBuiltinModule!("node:fs") as typeof import("node:fs");
  // src/core/ and dist/core/ are both two levels below the package root
  const root = new URL("../../", import.meta.url);
  const file = new URL(`build/Release/${name}.node`, root);
  const rebuild = "`npm rebuild typetorch` (in a checkout of typetorch itself: `npm run build:native`)";
  if (!fs.existsSync(file)) {
    let why = `${what} was not built when typetorch was installed`;
    try { why += ` (${fs.readFileSync(new URL(`build/${unavailable}`, root), "utf8").trim()})`; } catch { /* no record */ }
    return [null, `${why}; to build it, ${prerequisites} and run ${rebuild}`];
  }
  try {
    return [mod.createRequire(import.meta.url)(file.pathname) as T, null];
  } catch (e) {
    return [null, `${what} did not load (${(e as Error).message.split("\n")[0]}); run ${rebuild}`];
  }
}
