/**
 * Builders for the Kubernetes policy table: a rule is written as a check over one container, one
 * pod owner or one object, and the builder walks the synthesized objects, names the resource and
 * honours exemptions (`exempt.policy.switchyard.dev/<rule>` on the object, with a reason).
 */
import type { KubeObject } from '../../synth/validate-manifests';
import type { PolicyFinding, PolicyRule } from '../policy-finding';
import { type ContainerView, type PodOwner, containersOf, exemption, podOwners, resourceName } from './pod-templates';

/** The input of every Kubernetes rule: all objects of all charts of one synthesis. */
export type KubernetesObjects = readonly KubeObject[];
export type KubernetesRule = PolicyRule<KubernetesObjects>;

interface RuleHeader {
  readonly id: string;
  readonly mirrors: readonly string[];
  readonly description: string;
}

/** A rule checked on every container (init containers included) of every pod owner. */
export function containerRule(
  header: RuleHeader & {
    /** Limit the rule, e.g. to long-running workloads or to main containers. */
    readonly appliesTo?: (owner: PodOwner, init: boolean) => boolean;
    /** Messages for what is wrong with the container, without its name (the builder adds it). */
    readonly check: (container: ContainerView, owner: PodOwner) => string[];
  },
): KubernetesRule {
  return {
    ...header,
    check: (objects) =>
      podOwners(objects)
        .filter((owner) => !exemption(owner.object, header.id))
        .flatMap((owner) =>
          containersOf(owner)
            .filter(({ init }) => header.appliesTo?.(owner, init) ?? true)
            .flatMap(({ container, label }) =>
              header.check(container, owner).map((message): PolicyFinding => ({
                rule: header.id,
                mirrors: header.mirrors,
                resource: owner.resource,
                message: `${label}: ${message}`,
              })),
            ),
        ),
  };
}

/** A rule checked on each object that runs pods. `objects` is there for cross-object checks. */
export function podRule(
  header: RuleHeader & { readonly check: (owner: PodOwner, objects: KubernetesObjects) => string[] },
): KubernetesRule {
  return {
    ...header,
    check: (objects) =>
      podOwners(objects)
        .filter((owner) => !exemption(owner.object, header.id))
        .flatMap((owner) =>
          header
            .check(owner, objects)
            .map((message): PolicyFinding => ({ rule: header.id, mirrors: header.mirrors, resource: owner.resource, message })),
        ),
  };
}

/** A rule checked on every object. */
export function objectRule(
  header: RuleHeader & { readonly check: (object: KubeObject, objects: KubernetesObjects) => string[] },
): KubernetesRule {
  return {
    ...header,
    check: (objects) =>
      objects
        .filter((object) => !exemption(object, header.id))
        .flatMap((object) =>
          header
            .check(object, objects)
            .map((message): PolicyFinding => ({ rule: header.id, mirrors: header.mirrors, resource: resourceName(object), message })),
        ),
  };
}
