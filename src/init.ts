/** `k8s-audit init`: write a commented .k8s-audit.yaml, every key with what it does and its default. */
import fs from 'node:fs';
import path from 'node:path';

export const INIT_CONFIG = `# k8s-audit configuration (https://github.com/k8s-audit/k8s-audit#configuration).
# The JSON Schema: node_modules/k8s-audit/schema/k8s-audit.schema.json (editors with YAML support use it).

# Rule set before the settings below: recommended (default) or all (every rule, opt-in ones too).
profile: recommended

# Kubernetes version the manifests are deployed to: removed and deprecated APIs are judged against it.
kubeVersion: "1.34"

# Namespace of objects that name none (what \`kubectl apply\` would use).
# namespace: default

# Per-rule severity: error, warning, info, or off. \`k8s-audit rules\` lists them.
# rules:
  # image-pull-policy: off
  # missing-cpu-limit: warning

# Files and directories not to read (globs, relative to this file; .gitignore is honoured too).
# ignore:
  # - vendor/**
  # - "**/testdata/**"

# Suppress rules for objects or files, with the reason (reported when they suppress nothing).
# exclude:
  # - kind: DaemonSet
  #   name: node-exporter
  #   rules: [host-namespace, host-path-volume]
  #   reason: a node agent needs the host's network and /proc

# Objects created outside these files (by hand, another repository, an operator): not "not found".
# external:
  # - kind: Secret
  #   name: registry-credentials
  #   namespace: "*"

# How charts are rendered (the built-in renderer, as helm template).
# helm:
  # values: [deploy/values-prod.yaml]
  # set: ["image.tag=1.2.3"]
  # scenarios: true   # also each ci/*-values.yaml of a chart
  # A program to render with is honoured only in a file passed with --config, never in one found here.
`;

export function initCommand(cwd: string, force: boolean): number {
  const file = path.join(cwd, '.k8s-audit.yaml');
  if (fs.existsSync(file) && !force) {
    process.stderr.write(`k8s-audit: ${file} exists; pass --force to overwrite it\n`);
    return 2;
  }
  try {
    fs.writeFileSync(file, INIT_CONFIG);
  } catch (e) {
    process.stderr.write(`k8s-audit: cannot write ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  process.stdout.write(`wrote ${path.relative(cwd, file) || file}\n`);
  return 0;
}
