/** Whether a `type: LoadBalancer` Service gets an address reachable from the internet. */

/** Cloud annotations that make a load balancer internal (a private address in the VPC). */
const INTERNAL_LB: readonly (readonly [string, RegExp])[] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/openstack-internal-load-balancer', /^true$/i],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', /^private$/i],
];

export function isInternalLoadBalancer(annotations: Readonly<Record<string, string>>): boolean {
  return INTERNAL_LB.some(([k, re]) => typeof annotations[k] === 'string' && re.test(annotations[k]));
}
