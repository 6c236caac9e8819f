// The production deployment files: deploy/kubernetes/*.yaml against the Kubernetes API schemas, plus
// what the schemas cannot know (non-root pods, probes, the media drain, selectors that select
// something, env vars the product really reads), deploy/compose/compose.yaml's media nodes, and the
// Dockerfile's stages. Nothing is deployed: these read the files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { DaemonSet, Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';

// Loose shapes: the schema validation below is what vouches for the structure.
type Obj = Record<string, any>;
interface Manifest extends Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  file: string;
}

const k8sDir = new URL('../deploy/kubernetes/', import.meta.url);
const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

/** Every kind the manifests may use, mapped to its model; anything else fails the test. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'apps/v1/DaemonSet': DaemonSet,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

/** Variables the manifests and compose set that are not the product's own (.env.example's). */
const NOT_PRODUCT_VARS = [
  // Downward API values that 40-media.yaml composes the node's settings from.
  'POD_NAME',
  'POD_IP',
  'HOST_IP',
];
const isImageVar = (name: string) => /^(POSTGRES|MINIO)_/.test(name);

const manifestFiles = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml')).sort();
const manifests: Manifest[] = manifestFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(new URL(file, k8sDir), 'utf8')).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as Obj | null;
    return value === null ? [] : [{ ...value, file } as Manifest];
  }),
);

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];
const workloads = manifests.filter((m) => WORKLOAD_KINDS.includes(m.kind));
const podSpec = (w: Manifest): Obj => w.spec.template.spec;
const podLabels = (w: Manifest): Record<string, string> => w.spec.template.metadata?.labels ?? {};
const containersOf = (w: Manifest): Obj[] => [...(podSpec(w).initContainers ?? []), ...podSpec(w).containers];
const find = (kind: string, name: string): Manifest => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in deploy/kubernetes`);
  return found;
};
const envValue = (container: Obj, name: string): string | undefined => container.env?.find((e: Obj) => e.name === name)?.value;
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** What a container sees for a variable: its own env first, else a ConfigMap it loads with envFrom. */
function resolvedEnv(container: Obj, name: string): string | undefined {
  const own = envValue(container, name);
  if (own !== undefined) return own;
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const value = find('ConfigMap', source.configMapRef.name).data?.[name];
      if (value !== undefined) return String(value);
    }
  }
  return undefined;
}

function envExampleNames(): Set<string> {
  return new Set(read('../.env.example').split('\n').flatMap((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []));
}

/** deploy/compose/.env.example's values: what `docker compose` interpolates after `cp .env.example .env`. */
function composeEnvExample(): Record<string, string> {
  return Object.fromEntries(read('../deploy/compose/.env.example').split('\n').flatMap((line) => {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return match ? [[match[1]!, match[2]!]] : [];
  }));
}

/** Compose's interpolation: $$, ${VAR}, ${VAR:?err}, ${VAR?err}, ${VAR:-default}, ${VAR-default}. */
function interpolate(text: string, values: Record<string, string>, missing: string[]): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (whole === '$$') return '$';
    const value = values[name!];
    const empty = value === undefined || (op?.startsWith(':') && value === '');
    if (op?.endsWith('-')) return empty ? (arg ?? '') : value!;
    if (value === undefined) missing.push(name!);
    return value ?? '';
  });
}

const composeMissing: string[] = [];
const compose = parse(interpolate(read('../deploy/compose/compose.yaml'), composeEnvExample(), composeMissing), { merge: true }) as Obj;
const services = compose.services as Record<string, Obj>;

/** compose durations as seconds: 90s, 11m, 1m30s. */
function seconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of String(duration).matchAll(/(\d+)(h|m|s)/g)) total += Number(n) * { h: 3600, m: 60, s: 1 }[unit as 'h' | 'm' | 's'];
  return total;
}

describe('deploy/kubernetes', () => {
  it('has manifests', () => {
    expect(manifestFiles.length).toBeGreaterThan(0);
    expect(manifests.length).toBeGreaterThan(0);
  });

  it.each(manifests.map((m) => [`${m.file}: ${m.kind} ${m.metadata?.name}`, m] as const))('%s is valid against the Kubernetes API schema', (_label, manifest) => {
    const key = `${manifest.apiVersion}/${manifest.kind}`;
    const Model = MODELS[key];
    if (!Model) throw new Error(`${manifest.file}: ${key} is not mapped to a kubernetes-models class (add it to MODELS)`);
    const { file, ...doc } = manifest;
    void file;
    expect(() => new Model(doc).validate()).not.toThrow();
    expect(manifest.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    if (manifest.kind !== 'Namespace') expect(manifest.metadata.namespace, `${key} ${manifest.metadata.name}`).toBe('rehearse');
  });

  it('runs every container as a non-root user', () => {
    for (const w of workloads) {
      const pod = podSpec(w).securityContext ?? {};
      for (const c of containersOf(w)) {
        const own = c.securityContext ?? {};
        const where = `${w.kind} ${w.metadata.name} container ${c.name}`;
        expect(own.runAsNonRoot ?? pod.runAsNonRoot, `${where}: runAsNonRoot`).toBe(true);
        const user = own.runAsUser ?? pod.runAsUser;
        expect(typeof user, `${where}: a numeric runAsUser (kubelet cannot check a named USER)`).toBe('number');
        expect(user, `${where}: runAsUser`).toBeGreaterThan(0);
      }
    }
  });

  it('probes the API on /health and the web server on a page it serves', () => {
    const api = podSpec(find('Deployment', 'api')).containers[0];
    const apiPort = api.ports.find((p: Obj) => p.name === api.readinessProbe?.httpGet?.port || p.containerPort === api.readinessProbe?.httpGet?.port);
    expect(api.readinessProbe?.httpGet?.path).toBe('/health');
    expect(String(apiPort?.containerPort)).toBe(resolvedEnv(api, 'API_PORT'));
    expect(api.livenessProbe).toBeDefined();

    const web = podSpec(find('Deployment', 'web')).containers[0];
    const webPort = web.ports.find((p: Obj) => p.name === web.readinessProbe?.httpGet?.port || p.containerPort === web.readinessProbe?.httpGet?.port);
    expect(String(webPort?.containerPort)).toBe(resolvedEnv(web, 'WEB_PORT'));
    // The web server answers /health only once it has such a route (today it would be a 404);
    // until then its readiness is the landing page, which renders without the API.
    const webHasHealthRoute = existsSync(new URL('../web/src/routes/health/', import.meta.url));
    expect(web.readinessProbe?.httpGet?.path).toBe(webHasHealthRoute ? '/health' : '/');
    expect(web.livenessProbe).toBeDefined();
  });

  it('works the job queue in `jobs` only, which no Service reaches', () => {
    const api = podSpec(find('Deployment', 'api')).containers[0];
    const jobs = find('Deployment', 'jobs');
    const worker = podSpec(jobs).containers[0];
    expect(envValue(api, 'JOB_WORKER')).toBe('false');
    expect(envValue(worker, 'JOB_WORKER')).toBe('true');
    expect(worker.image).toBe(api.image);
    for (const service of manifests.filter((m) => m.kind === 'Service')) {
      expect(matches(service.spec.selector ?? {}, podLabels(jobs)), `Service ${service.metadata.name} selects the jobs pods`).toBe(false);
    }
    const migrate = find('Job', 'rehearse-migrate');
    expect(podSpec(migrate).containers[0].image).toBe(api.image);
  });

  it('lets a media node drain before it is killed, and names it after its pod', () => {
    const media = find('StatefulSet', 'media');
    const spec = podSpec(media);
    const container = spec.containers.find((c: Obj) => c.name === 'media');
    const drain = Number(resolvedEnv(container, 'MEDIA_DRAIN_SECONDS'));
    expect(drain).toBeGreaterThan(0);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(drain + 30);
    expect(spec.hostNetwork).toBe(true);

    const env: Obj[] = container.env;
    const field = (name: string) => env.find((e) => e.name === name)?.valueFrom?.fieldRef?.fieldPath;
    expect(field('POD_NAME')).toBe('metadata.name');
    expect(envValue(container, 'MEDIA_NODE_ID')).toBe('$(POD_NAME)');
    expect(envValue(container, 'MEDIA_PUBLIC_URL')).toContain('$(POD_NAME)');
    expect(['status.hostIP', undefined]).toContain(field('HOST_IP'));
    expect(resolvedEnv(container, 'MEDIASOUP_ANNOUNCED_ADDRESS')).toBeTruthy();
    expect(Number(resolvedEnv(container, 'MEDIASOUP_RTC_MAX_PORT'))).toBeGreaterThanOrEqual(Number(resolvedEnv(container, 'MEDIASOUP_RTC_MIN_PORT')));

    // Kubernetes expands $(VAR) only from variables defined earlier in the same list.
    env.forEach((entry, i) => {
      for (const [, ref] of String(entry.value ?? '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
        expect(env.slice(0, i).map((e) => e.name), `${entry.name} refers to $(${ref})`).toContain(ref);
      }
    });

    const pdb = manifests.find((m) => m.kind === 'PodDisruptionBudget' && matches(m.spec.selector.matchLabels, podLabels(media)));
    expect(pdb?.spec.maxUnavailable).toBe(1);
  });

  it('gives every media replica its own Service and Ingress host, allowed by MEDIA_ORIGINS', () => {
    const media = find('StatefulSet', 'media');
    const container = podSpec(media).containers.find((c: Obj) => c.name === 'media');
    const port = Number(resolvedEnv(container, 'MEDIA_PORT'));
    const origins = (resolvedEnv(container, 'MEDIA_ORIGINS') ?? '').split(',').map((o) => o.trim());
    const ingressRules = manifests.filter((m) => m.kind === 'Ingress').flatMap((m) => m.spec.rules as Obj[]);
    for (let i = 0; i < media.spec.replicas; i++) {
      const pod = `${media.metadata.name}-${i}`;
      const publicUrl = new URL(envValue(container, 'MEDIA_PUBLIC_URL')!.replaceAll('$(POD_NAME)', pod));
      const service = manifests.find((m) => m.kind === 'Service' && m.spec.selector?.['statefulset.kubernetes.io/pod-name'] === pod);
      expect(service, `a Service for ${pod}`).toBeDefined();
      expect(service!.spec.ports.map((p: Obj) => p.targetPort)).toContain(port);
      const rule = ingressRules.find((r) => r.host === publicUrl.hostname);
      expect(rule, `an Ingress rule for ${publicUrl.hostname}`).toBeDefined();
      const path = rule!.http.paths.find((p: Obj) => publicUrl.pathname.startsWith(p.path));
      expect(path?.backend.service.name).toBe(service!.metadata.name);
      const allowed = origins.some((origin) => new RegExp(`^${origin.replaceAll('.', '\\.').replace('*', '[a-z0-9-]+')}$`).test(publicUrl.origin));
      expect(allowed, `${publicUrl.origin} in MEDIA_ORIGINS ${origins.join(',')}`).toBe(true);
    }
  });

  it('routes every Ingress to a Service port that exists', () => {
    for (const ingress of manifests.filter((m) => m.kind === 'Ingress')) {
      for (const rule of ingress.spec.rules) {
        for (const path of rule.http.paths) {
          const service = find('Service', path.backend.service.name);
          const port = path.backend.service.port;
          const hit = service.spec.ports.find((p: Obj) => (port.name !== undefined ? p.name === port.name : p.port === port.number));
          expect(hit, `${ingress.metadata.name} ${rule.host}${path.path} -> ${service.metadata.name}`).toBeDefined();
        }
      }
    }
  });

  it('selects at least one workload with every PodDisruptionBudget and Service', () => {
    for (const selecting of manifests.filter((m) => m.kind === 'PodDisruptionBudget' || m.kind === 'Service')) {
      const selector: Record<string, string> = selecting.kind === 'Service' ? selecting.spec.selector : selecting.spec.selector.matchLabels;
      expect(Object.keys(selector ?? {}).length, `${selecting.kind} ${selecting.metadata.name} has a selector`).toBeGreaterThan(0);
      const selected = workloads.some((w) => {
        if (matches(selector, podLabels(w))) return true;
        // A StatefulSet's pods also carry statefulset.kubernetes.io/pod-name: <name>-<ordinal>.
        const pod = selector['statefulset.kubernetes.io/pod-name'];
        if (w.kind !== 'StatefulSet' || pod === undefined) return false;
        const rest = Object.fromEntries(Object.entries(selector).filter(([k]) => k !== 'statefulset.kubernetes.io/pod-name'));
        const ordinal = Number(pod.slice(w.metadata.name.length + 1));
        return pod.startsWith(`${w.metadata.name}-`) && Number.isInteger(ordinal) && ordinal < w.spec.replicas && matches(rest, podLabels(w));
      });
      expect(selected, `${selecting.kind} ${selecting.metadata.name} selects some workload's pods`).toBe(true);
    }
  });

  it('exposes metrics on a port of their own in every pod (9464 for ours, 9641 for coturn), and in no Service', () => {
    const metricsPort = (w: Obj) => (w.metadata.name === 'coturn' ? 9641 : 9464);
    for (const w of workloads.filter((w) => w.kind !== 'Job')) {
      const annotations = w.spec.template.metadata?.annotations ?? {};
      expect(annotations['prometheus.io/scrape'], `${w.metadata.name}`).toBe('true');
      expect(annotations['prometheus.io/port'], `${w.metadata.name}`).toBe(String(metricsPort(w)));
      const metrics = containersOf(w).flatMap((c) => c.ports ?? []).filter((p: Obj) => p.name === 'metrics');
      expect(metrics.map((p: Obj) => p.containerPort), `${w.metadata.name}`).toEqual([metricsPort(w)]);
      for (const c of podSpec(w).containers.filter((c: Obj) => (c.ports ?? []).some((p: Obj) => p.name === 'metrics') && c.image.includes('rehearse/'))) {
        expect(resolvedEnv(c, 'METRICS_PORT'), `${w.metadata.name} METRICS_PORT`).toBe('9464');
        expect(resolvedEnv(c, 'METRICS_HOST'), `${w.metadata.name} METRICS_HOST`).toBeTruthy();
      }
    }
    for (const service of manifests.filter((m) => m.kind === 'Service')) {
      for (const p of service.spec.ports) {
        for (const port of [9464, 9641]) expect([p.port, p.targetPort, p.name], `Service ${service.metadata.name}`).not.toContain(port);
        expect([p.targetPort, p.name], `Service ${service.metadata.name}`).not.toContain('metrics');
      }
    }
  });

  it('sets only variables that .env.example documents', () => {
    const known = envExampleNames();
    const set = new Set<string>();
    for (const m of manifests) {
      if (m.kind === 'ConfigMap' && m.metadata.name === 'rehearse-config') Object.keys(m.data ?? {}).forEach((k) => set.add(k));
      if (m.kind === 'Secret' && m.metadata.name === 'rehearse-secrets') Object.keys({ ...m.data, ...m.stringData }).forEach((k) => set.add(k));
    }
    for (const w of workloads) for (const c of containersOf(w)) for (const e of c.env ?? []) set.add(e.name);
    for (const service of Object.values(services)) Object.keys(service.environment ?? {}).forEach((k) => set.add(k));
    const unknown = [...set].filter((name) => !known.has(name) && !isImageVar(name) && !NOT_PRODUCT_VARS.includes(name));
    expect(unknown).toEqual([]);
  });
});

describe('deploy/compose', () => {
  const media = ['media-1', 'media-2'].map((name) => ({ name, service: services[name]!, env: services[name]!.environment as Record<string, string> }));

  it('runs two media nodes with distinct ids, ports, URLs and WebRTC port ranges, published as UDP and TCP', () => {
    for (const key of ['MEDIA_NODE_ID', 'MEDIA_PORT', 'MEDIA_PUBLIC_URL', 'MEDIA_INTERNAL_URL']) {
      expect(media.every((m) => m.env[key]), key).toBe(true);
      expect(new Set(media.map((m) => m.env[key])).size, key).toBe(2);
    }
    const ranges = media.map((m) => [Number(m.env.MEDIASOUP_RTC_MIN_PORT), Number(m.env.MEDIASOUP_RTC_MAX_PORT)] as const);
    for (const [min, max] of ranges) expect(max).toBeGreaterThanOrEqual(min);
    const [a, b] = ranges as [readonly [number, number], readonly [number, number]];
    expect(a[1] < b[0] || b[1] < a[0], `ranges ${a.join('-')} and ${b.join('-')} overlap`).toBe(true);

    media.forEach((m, i) => {
      const [min, max] = ranges[i]!;
      expect(new URL(m.env.MEDIA_INTERNAL_URL!).port, m.name).toBe(m.env.MEDIA_PORT);
      for (const protocol of ['udp', 'tcp']) {
        const published = (m.service.ports as string[]).some((p) => {
          const match = /^(?:[\d.]+:)?(\d+)(?:-(\d+))?:(\d+)(?:-(\d+))?\/(udp|tcp)$/.exec(String(p));
          if (!match || match[5] !== protocol) return false;
          const [host, hostEnd = host, inner, innerEnd = inner] = match.slice(1, 5).map((v) => (v === undefined ? undefined : Number(v)));
          return host === min && hostEnd === max && inner === min && innerEnd === max;
        });
        expect(published, `${m.name} publishes ${min}-${max}/${protocol}`).toBe(true);
      }
      // `docker compose stop` waits long enough for the drain.
      expect(seconds(m.service.stop_grace_period), m.name).toBeGreaterThan(Number(m.env.MEDIA_DRAIN_SECONDS ?? 600));
    });

    const origins = String(services.web!.environment.MEDIA_ORIGINS).split(',');
    for (const m of media) expect(origins).toContain(new URL(m.env.MEDIA_PUBLIC_URL!).origin);
  });

  it('finds every variable it interpolates without a default in deploy/compose/.env.example', () => {
    expect([...new Set(composeMissing)]).toEqual([]);
  });

  it('works the job queue in `jobs`, not in `api`, from the same image', () => {
    expect(services.api!.environment.JOB_WORKER).toBe('false');
    expect(services.jobs!.environment.JOB_WORKER).toBe('true');
    expect(services.jobs!.image).toBe(services.api!.image);
  });

  it('builds only targets the Dockerfile has, and keeps secrets out of compose.yaml', () => {
    const stages = dockerStages().map((s) => s.name);
    for (const service of Object.values(services)) if (service.build) expect(stages).toContain(service.build.target);
    const example = read('../deploy/compose/.env.example');
    for (const name of ['MEDIA_TOKEN_SECRET', 'TURN_SECRET', 'POSTGRES_PASSWORD', 'MINIO_ROOT_PASSWORD', 'S3_SECRET_ACCESS_KEY']) {
      expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
      expect(read('../deploy/compose/compose.yaml')).toContain(`\${${name}:?`);
    }
  });
});

describe('deploy/coturn/turnserver.conf', () => {
  const conf = read('../deploy/coturn/turnserver.conf').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  it('authenticates with the shared secret and listens on 3478 and TLS on 443', () => {
    for (const line of ['use-auth-secret', 'listening-port=3478', 'tls-listening-port=443', 'no-multicast-peers', 'fingerprint', 'no-cli']) expect(conf).toContain(line);
    expect(conf.some((l) => l.startsWith('static-auth-secret='))).toBe(true);
    expect(conf.some((l) => l.startsWith('denied-peer-ip=10.0.0.0'))).toBe(true);
  });
});

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

function dockerStages(): Stage[] {
  const text = read('../deploy/docker/Dockerfile').replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[2] ?? String(stages.length), from: from[1]!, lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

describe('deploy/docker/Dockerfile', () => {
  const stages = dockerStages();
  /** The user a stage runs as: its last USER, else its parent stage's; an image's default is root. */
  const userOf = (name: string): string => {
    const stage = stages.find((s) => s.name === name);
    if (!stage) return 'root';
    const user = stage.lines.filter((l) => /^USER\s/i.test(l)).at(-1);
    return user ? user.split(/\s+/)[1]! : userOf(stage.from);
  };

  it('is multi-stage, with api, web and media targets that run as a non-root user', () => {
    expect(stages.length).toBeGreaterThan(3);
    for (const target of ['api', 'web', 'media']) {
      expect(stages.map((s) => s.name)).toContain(target);
      const user = userOf(target).split(':')[0]!;
      expect(['root', '0', ''], `${target} runs as ${user}`).not.toContain(user);
    }
  });

  it('builds the mediasoup worker once, in its own stage, and copies it into the media image only', () => {
    const copies = stages.flatMap((s) => s.lines.filter((l) => /^COPY\s+--from=\S+\s+\S*mediasoup-worker/.test(l)).map((l) => ({ stage: s.name, from: /--from=(\S+)/.exec(l)![1]! })));
    expect(copies.map((c) => c.stage)).toEqual(['media']);
    const builder = stages.find((s) => s.name === copies[0]!.from);
    expect(builder?.lines.some((l) => l.includes('scripts/setup/mediasoup-worker'))).toBe(true);
  });

  it('installs production dependencies only, and ships the web build and the Prisma client', () => {
    const all = stages.flatMap((s) => s.lines);
    expect(all.some((l) => /npm ci\b.*--omit=dev/.test(l))).toBe(true);
    expect(all.some((l) => /prisma\S*\s+generate/.test(l))).toBe(true);
    expect(stages.find((s) => s.name === 'web')?.lines.some((l) => /^COPY\s+--from=\S+\s+\S*web\/build/.test(l))).toBe(true);
  });
});
