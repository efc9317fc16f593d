/**
 * Image references a build tool replaces when it deploys: the manifest holds a placeholder, not what runs.
 *
 * - ko (`ko://github.com/org/repo/cmd/x`): `ko resolve`/`ko apply` builds the Go package and writes the pushed
 *   image by digest in its place (https://ko.build/features/k8s/).
 * - Skaffold: every `build.artifacts[].image` of a skaffold.yaml (and of its profiles) is rewritten in the
 *   manifests it deploys to the tag (and digest) it built (https://skaffold.dev/docs/tutorials/image-name-rewriting/).
 * - Tilt: `docker_build('name', ...)` / `custom_build('name', ...)` in a Tiltfile makes Tilt replace references
 *   to that image with the one it built (https://docs.tilt.dev/api.html#api.docker_build).
 *
 * Such a reference is neither "latest" nor untagged: which build runs is decided at deploy time. The names found
 * in the scanned tree are set per run by the engine, as scan.ts does for cluster-wide objects.
 */

let built = new Map<string, string>();

/** The repository part of a reference (no tag, no digest), as the tools compare them. */
function repositoryOf(image: string): string {
  const noDigest = image.trim().split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The images of the scan's skaffold.yaml files and Tiltfiles, with the tool that builds each. */
export function setBuildImages(images: readonly { image: string; tool: string }[]): void {
  built = new Map();
  for (const { image, tool } of images) if (image.trim()) built.set(repositoryOf(image), tool);
}

/** The tool that replaces this reference at deploy time (`ko`, `Skaffold`, `Tilt`), or undefined. */
export function builtAtDeploy(image: string): string | undefined {
  if (/^ko:\/\//.test(image.trim())) return 'ko';
  return built.size ? built.get(repositoryOf(image)) : undefined;
}

/** `build.artifacts[].image` of a skaffold.yaml document (apiVersion skaffold/...), its profiles' included. */
export function skaffoldImages(doc: unknown): string[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const d = doc as Record<string, unknown>;
  if (typeof d.apiVersion !== 'string' || !d.apiVersion.startsWith('skaffold/')) return [];
  const out: string[] = [];
  const fromBuild = (b: unknown) => {
    const arts = b && typeof b === 'object' ? (b as Record<string, unknown>).artifacts : undefined;
    if (!Array.isArray(arts)) return;
    for (const a of arts) if (a && typeof a === 'object' && typeof (a as Record<string, unknown>).image === 'string') out.push((a as Record<string, string>).image);
  };
  fromBuild(d.build);
  if (Array.isArray(d.profiles)) for (const p of d.profiles) if (p && typeof p === 'object') fromBuild((p as Record<string, unknown>).build);
  return out;
}

/** The image names a Tiltfile builds: the first argument (or `ref=`) of docker_build, custom_build and their kin. */
export function tiltImages(text: string): string[] {
  const out: string[] = [];
  const re = /^[ \t]*(?:docker_build|custom_build|docker_build_with_restart)\(\s*(?:ref\s*=\s*)?(['"])([^'"\n]{1,300})\1/gm;
  for (const m of text.matchAll(re)) out.push(m[2]);
  return out;
}
