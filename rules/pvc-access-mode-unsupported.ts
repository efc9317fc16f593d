import { defineRule } from '../src/rule.js';

/** Provisioners of block devices: one node at a time, no ReadWriteMany/ReadOnlyMany across nodes. */
const BLOCK_PROVISIONERS: Record<string, string> = {
  'ebs.csi.aws.com': 'AWS EBS',
  'kubernetes.io/aws-ebs': 'AWS EBS',
  'pd.csi.storage.gke.io': 'GCE Persistent Disk',
  'kubernetes.io/gce-pd': 'GCE Persistent Disk',
  'disk.csi.azure.com': 'Azure Disk',
  'kubernetes.io/azure-disk': 'Azure Disk',
  'cinder.csi.openstack.org': 'OpenStack Cinder',
  'kubernetes.io/cinder': 'OpenStack Cinder',
  'csi.vsphere.vmware.com': 'vSphere block volumes',
  'kubernetes.io/vsphere-volume': 'vSphere volumes',
  'dobs.csi.digitalocean.com': 'DigitalOcean block storage',
  'rancher.io/local-path': 'local-path',
  'kubernetes.io/no-provisioner': 'local volumes',
  'local.csi.openebs.io': 'OpenEBS local volumes',
  'openebs.io/local': 'OpenEBS local volumes',
  'topolvm.io': 'TopoLVM',
};

const MULTI_NODE = new Set(['ReadWriteMany', 'ReadOnlyMany']);

export default defineRule({
  id: 'pvc-access-mode-unsupported',
  meta: {
    description: 'Forbid ReadWriteMany or ReadOnlyMany claims on a StorageClass whose provisioner only attaches block volumes to one node',
    category: 'storage',
    severity: 'error',
    recommended: true,
    kinds: ['PersistentVolumeClaim', 'StatefulSet'],
    messages: {
      unsupported:
        'Claim "{{claim}}" asks for {{mode}} from StorageClass "{{sc}}", whose provisioner {{provisioner}} ({{backend}}) only attaches a volume to one node; provisioning fails ("access mode not supported") and the claim stays Pending with every pod that mounts it',
    },
    docs: {
      rationale:
        'ReadWriteMany and ReadOnlyMany need a file system that many nodes can mount at once (NFS, EFS, Filestore, Azure Files, CephFS). Block-device provisioners (AWS EBS, GCE PD, Azure Disk, Cinder, vSphere, local-path) attach a disk to one node; asked for a multi-node mode, the CSI driver refuses to provision and the claim, and every pod that mounts it, stays Pending. The rule only judges StorageClasses defined among the scanned files.',
      remediation: 'Use a file-storage StorageClass (efs.csi.aws.com, filestore.csi.storage.gke.io, file.csi.azure.com, an NFS provisioner) for shared data, or switch the claim to ReadWriteOnce and give each replica its own volume (volumeClaimTemplates).',
    },
  },
  check(r, ctx) {
    const claims: { name: string; spec: Record<string, unknown>; base: (string | number)[] }[] = [];
    if (r.kind === 'PersistentVolumeClaim') claims.push({ name: r.name, spec: r.object.spec ?? {}, base: ['spec'] });
    else {
      const vcts = r.object.spec?.volumeClaimTemplates;
      if (Array.isArray(vcts)) vcts.forEach((v, i) => v && typeof v === 'object' && claims.push({ name: String(v.metadata?.name ?? i), spec: v.spec ?? {}, base: ['spec', 'volumeClaimTemplates', i, 'spec'] }));
    }
    for (const c of claims) {
      const modes = Array.isArray(c.spec.accessModes) ? c.spec.accessModes.map(String) : [];
      const i = modes.findIndex((m) => MULTI_NODE.has(m));
      if (i < 0 || typeof c.spec.storageClassName !== 'string') continue;
      const sc = ctx.graph.get('StorageClass', c.spec.storageClassName, '');
      const provisioner = typeof sc?.object.provisioner === 'string' ? sc.object.provisioner : undefined;
      const backend = provisioner ? BLOCK_PROVISIONERS[provisioner] : undefined;
      if (!sc || !provisioner || !backend) continue;
      ctx.report({
        messageId: 'unsupported',
        path: [...c.base, 'accessModes', i],
        data: { claim: c.name, mode: modes[i], sc: sc.name, provisioner, backend },
        related: [{ resource: sc, path: ['provisioner'], message: `provisioner of StorageClass "${sc.name}"` }],
      });
    }
  },
});
