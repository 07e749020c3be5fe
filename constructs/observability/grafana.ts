/**
 * Grafana behind the edge at /grafana: admin credentials from a Secret the operator creates (by
 * reference only), the Prometheus datasource and the platform dashboards provisioned from
 * ConfigMaps (read-only in the UI; the code is their source), sign-up, anonymous access, usage
 * reporting and update checks off. Its database lives in an emptyDir: every dashboard and the
 * datasource are provisioned, so nothing of value is lost when the pod is replaced.
 */
import { createHash } from 'node:crypto';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { PROMETHEUS_DATASOURCE_UID } from '../../observability/dashboards/panels';
import type { PodGroup } from '../kube/allow-traffic';
import type { ComputeResources } from '../kube/compute-resources';
import type { ImageReference } from '../kube/image-reference';
import { KubeConfigMap } from '../kube/k8s';
import { workloadLabels } from '../kube/labels';
import { SecureWorkload } from '../kube/secure-workload';

export const GRAFANA_PORT = 3000;
export const GRAFANA_IMAGE: ImageReference = { repository: 'docker.io/grafana/grafana', tag: '12.1.1' };
/** The path the edge routes to Grafana. */
export const GRAFANA_PATH = '/grafana';

export interface GrafanaProps {
  readonly instance: string;
  readonly namespace: string;
  /** The public URL Grafana is served at, e.g. https://ai.example.com/grafana/. */
  readonly rootUrl: string;
  /** Secret with keys `admin-user` and `admin-password`. */
  readonly adminSecretName: string;
  /** The Prometheus it reads. */
  readonly prometheusUrl: string;
  /** Dashboards by file name. */
  readonly dashboards: Readonly<Record<string, Dashboard>>;
  /** @default GRAFANA_IMAGE */
  readonly image?: ImageReference;
  /** @default 100m/500m CPU, 256Mi/512Mi memory */
  readonly resources?: ComputeResources;
}

const PROVISIONING = '/etc/grafana/provisioning';
const DASHBOARDS_DIR = '/var/lib/grafana-dashboards';

export class Grafana extends Construct {
  readonly pods: PodGroup;

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const labels = workloadLabels({ name: 'grafana', component: 'dashboards', instance: props.instance });
    const datasources = stringify({
      apiVersion: 1,
      datasources: [
        {
          name: 'Prometheus',
          type: 'prometheus',
          uid: PROMETHEUS_DATASOURCE_UID,
          access: 'proxy',
          url: props.prometheusUrl,
          isDefault: true,
          editable: false,
          jsonData: { timeInterval: '30s' },
        },
      ],
    });
    const providers = stringify({
      apiVersion: 1,
      providers: [
        {
          name: 'switchyard',
          folder: 'Switchyard',
          type: 'file',
          disableDeletion: true,
          allowUiUpdates: false,
          options: { path: DASHBOARDS_DIR },
        },
      ],
    });
    const dashboards = Object.fromEntries(Object.entries(props.dashboards).map(([file, d]) => [file, JSON.stringify(d, null, 1)]));

    const provisioning = new KubeConfigMap(this, 'Provisioning', {
      metadata: { name: 'grafana-provisioning', namespace: props.namespace, labels },
      data: { 'datasources.yaml': datasources, 'dashboards.yaml': providers },
    });
    const dashboardFiles = new KubeConfigMap(this, 'Dashboards', {
      metadata: { name: 'grafana-dashboards', namespace: props.namespace, labels },
      data: dashboards,
    });
    const checksum = createHash('sha256')
      .update(datasources)
      .update(providers)
      .update(JSON.stringify(dashboards))
      .digest('hex')
      .slice(0, 16);
    const admin = (key: string) => ({ secretName: props.adminSecretName, key });

    const workload = new SecureWorkload(this, 'Workload', {
      name: 'grafana',
      component: 'dashboards',
      instance: props.instance,
      namespace: props.namespace,
      container: {
        name: 'grafana',
        image: props.image ?? GRAFANA_IMAGE,
        env: {
          GF_SECURITY_ADMIN_USER: admin('admin-user'),
          GF_SECURITY_ADMIN_PASSWORD: admin('admin-password'),
          GF_SERVER_ROOT_URL: props.rootUrl,
          GF_SERVER_SERVE_FROM_SUB_PATH: 'true',
          GF_SERVER_HTTP_PORT: String(GRAFANA_PORT),
          GF_PATHS_PROVISIONING: PROVISIONING,
          GF_PATHS_DATA: '/var/lib/grafana',
          GF_PATHS_PLUGINS: '/var/lib/grafana/plugins',
          GF_LOG_MODE: 'console',
          GF_USERS_ALLOW_SIGN_UP: 'false',
          GF_AUTH_ANONYMOUS_ENABLED: 'false',
          GF_ANALYTICS_REPORTING_ENABLED: 'false',
          GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
          GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
          GF_NEWS_NEWS_FEED_ENABLED: 'false',
        },
        ports: [{ name: 'http', port: GRAFANA_PORT }],
        resources: props.resources ?? { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
        health: { readiness: { httpGet: { path: `${GRAFANA_PATH}/api/health`, port: 'http' } }, startupBudgetSeconds: 120 },
        scratch: [
          { name: 'data', mountPath: '/var/lib/grafana', sizeLimit: '1Gi' },
          { name: 'tmp', mountPath: '/tmp', sizeLimit: '64Mi' },
        ],
        mounts: [
          { name: 'datasources', mountPath: `${PROVISIONING}/datasources`, readOnly: true },
          { name: 'dashboard-providers', mountPath: `${PROVISIONING}/dashboards`, readOnly: true },
          { name: 'dashboards', mountPath: DASHBOARDS_DIR, readOnly: true },
        ],
      },
      volumes: [
        { name: 'datasources', configMap: { name: provisioning.name, items: [{ key: 'datasources.yaml', path: 'datasources.yaml' }] } },
        {
          name: 'dashboard-providers',
          configMap: { name: provisioning.name, items: [{ key: 'dashboards.yaml', path: 'dashboards.yaml' }] },
        },
        { name: 'dashboards', configMap: { name: dashboardFiles.name } },
      ],
      podAnnotations: { 'switchyard.dev/config-checksum': checksum },
    });
    this.pods = workload.pods;
  }
}
