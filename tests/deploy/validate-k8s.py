#!/usr/bin/python3
"""Validates deploy/k8s offline, without a cluster, and says exactly what it did and did not check.

usage: validate-k8s.py <repository root>

Each build (deploy/k8s = Twilio, deploy/k8s/tropo) is assembled the way kustomize does it for the
only kustomization fields used here (`resources`, `namespace`; any other field fails the check, so
this stays exact), then checked:

1. every document parses as YAML and conforms to tests/deploy/k8s-schema.json (kinds, apiVersions,
   the fields the API requires, Switchboard's own rules: non-root, no privilege escalation,
   read-only root, no capabilities, probes on /healthz, a memory limit);
2. every field name and type, at every depth, is one the Kubernetes API has (the models of
   Debian's python3-kubernetes, API 1.22), and the objects deserialize with the API's required
   fields present;
3. references hold: Services select one workload's pods and target ports they declare, each
   StatefulSet's serviceName is a headless Service selecting it, Ingress backends are Services
   and ports that exist, claims and secretKeyRefs name objects and keys that exist;
4. it agrees with deploy/docker-compose.yml, deploy/Dockerfile and deploy/nginx.conf: the same
   services, image, command, health port and data path; compose's explicit environment; the
   image's user and ENV; every public path nginx routes, routed by an Ingress to the same service
   and port;
5. every setting it sets is one the service reads (a string literal in its sources or
   libs/common) and is documented in a README; credentials are only in Secrets, whose values are
   empty placeholders; the partitioned services are StatefulSets on one ReadWriteMany claim each,
   the bus one Recreate replica, ingress-web a Deployment;
6. where kubectl is installed: `kubectl kustomize` builds both, and to exactly the same objects.

Not checked (no cluster here): admission (defaulting, quotas, policies), that the image exists in
a registry, that the storage class gives ReadWriteMany with working POSIX locks, that the Ingress
controller honours the annotations, that NetworkPolicy is enforced, fields newer than API 1.22.
Prints one line per failure and a closing `N passed, N failed`.
"""
import copy
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys

import jsonschema
import yaml

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
K8S = os.path.join(ROOT, "deploy", "k8s")
BUILDS = {"twilio": K8S, "tropo": os.path.join(K8S, "tropo")}
PARTITIONED = {"router", "spark-gateway", "twilio-gateway", "tropo-gateway"}
CARRIERS = {"twilio": "twilio-gateway", "tropo": "tropo-gateway"}
# Settings agreed this round whose reader lands with another branch (the partitions engineer's
# libs/common): reported, not failed, while no source reads them.
PENDING_SETTINGS = {"PARTITIONS"}
NAMESPACED = {"ConfigMap", "Secret", "Service", "PersistentVolumeClaim", "Deployment",
              "StatefulSet", "Ingress", "NetworkPolicy", "PodDisruptionBudget"}

passed = 0
failed = 0
notes = []


def check(condition, message):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + message)
    return condition


def note(message):
    notes.append(message)


# --- assembling a build, as kustomize does for `resources` and `namespace` -----------------------

def load_kustomization(directory):
    path = os.path.join(directory, "kustomization.yaml")
    with open(path) as file:
        kustomization = yaml.safe_load(file)
    unknown = set(kustomization) - {"apiVersion", "kind", "resources", "namespace"}
    check(not unknown, f"{path}: fields this check does not model: {sorted(unknown)}")
    documents = []
    for resource in kustomization.get("resources", []):
        target = os.path.normpath(os.path.join(directory, resource))
        if os.path.isdir(target):
            documents += load_kustomization(target)
        else:
            with open(target) as file:
                for document in yaml.safe_load_all(file):
                    if document is not None:
                        documents.append((os.path.relpath(target, ROOT), document))
    namespace = kustomization.get("namespace")
    if namespace:
        for _, document in documents:
            if document.get("kind") in NAMESPACED:
                document.setdefault("metadata", {})["namespace"] = namespace
    return documents


# --- 2: field names and types against the API's models ------------------------------------------

try:
    import kubernetes.client
    from kubernetes.client import models as k8s_models
except ImportError:  # python3-kubernetes (scripts/install-deps) missing
    kubernetes = None

PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": (int, float)}


def check_fields(value, type_name, where, problems):
    if type_name == "object":  # IntOrString, RawExtension: any JSON value
        return
    if type_name in PRIMITIVES:
        expected = PRIMITIVES[type_name]
        if isinstance(value, bool) and type_name != "bool" or not isinstance(value, expected):
            problems.append(f"{where}: {value!r} is not {type_name}")
        return
    if type_name.startswith("list["):
        if not isinstance(value, list):
            problems.append(f"{where}: not a list")
            return
        for index, item in enumerate(value):
            check_fields(item, type_name[5:-1], f"{where}[{index}]", problems)
        return
    if type_name.startswith("dict("):
        if not isinstance(value, dict):
            problems.append(f"{where}: not a map")
            return
        inner = type_name[type_name.index(",") + 1:-1].strip()
        for key, item in value.items():
            check_fields(item, inner, f"{where}.{key}", problems)
        return
    model = getattr(k8s_models, type_name, None)
    if model is None:
        problems.append(f"{where}: no model {type_name}")
        return
    if not isinstance(value, dict):
        problems.append(f"{where}: not an object ({type_name})")
        return
    by_json_name = {json_name: python for python, json_name in model.attribute_map.items()}
    for key, item in value.items():
        if key not in by_json_name:
            problems.append(f"{where}: no field '{key}' in {type_name}")
            continue
        check_fields(item, model.openapi_types[by_json_name[key]], f"{where}.{key}", problems)


def model_name(document):
    version = document["apiVersion"].split("/")[-1]
    return version[0].upper() + version[1:] + document["kind"]


def check_against_api(name, documents):
    if kubernetes is None:
        note("python3-kubernetes is not installed: field names and types were NOT checked")
        return
    api = kubernetes.client.ApiClient()
    for source, document in documents:
        label = f"{name}: {source}: {document.get('kind')}/{document.get('metadata', {}).get('name')}"
        problems = []
        check_fields(document, model_name(document), document.get("kind", "?"), problems)
        check(not problems, f"{label}: " + "; ".join(problems))
        try:
            api._ApiClient__deserialize(copy.deepcopy(document), model_name(document))
            check(True, "")
        except (ValueError, TypeError, AttributeError) as error:
            check(False, f"{label}: the API's models refuse it: {error}")


# --- what the rest of the repository says ----------------------------------------------------------

def read(path):
    with open(os.path.join(ROOT, path)) as file:
        return file.read()


def compose_services():
    return yaml.safe_load(read("deploy/docker-compose.yml"))["services"]


def setting_literals(directories):
    """Every "NAME" string literal in the C++ sources of these directories."""
    names = set()
    for directory in directories:
        for folder, _, files in os.walk(os.path.join(ROOT, directory)):
            for file in files:
                if file.endswith((".cpp", ".h")):
                    with open(os.path.join(folder, file), errors="replace") as source:
                        names |= set(re.findall(r'"([A-Z][A-Z0-9_]{2,})"', source.read()))
    return names


def documented_settings():
    """Setting names in the README tables, and which of them are marked (secret)."""
    documented, secret = set(), set()
    paths = ["README.md"] + [os.path.join("services", s, "README.md")
                             for s in os.listdir(os.path.join(ROOT, "services"))
                             if os.path.exists(os.path.join(ROOT, "services", s, "README.md"))]
    for path in paths:
        for line in read(path).splitlines():
            if not line.startswith("|"):
                continue
            first = line.split("|")[1]
            names = re.findall(r"`([A-Z][A-Z0-9_]{2,})`", first)
            documented |= set(names)
            if "(secret)" in line:
                secret |= set(names)
    return documented, secret


def nginx_routes():
    """[(path, exact, host, port)] for every `location ... { proxy_pass ...; }` of nginx.conf,
    whether upstreams are blocks or variables."""
    conf = read("deploy/nginx.conf")
    targets = {}
    for name, host, port in re.findall(r"upstream\s+(\w+)\s*\{\s*server\s+([\w.-]+):(\d+);", conf):
        targets["http://" + name] = (host, int(port))
    for name, host, port in re.findall(r"set\s+(\$\w+)\s+http://([\w.-]+):(\d+);", conf):
        targets[name] = (host, int(port))
    routes = []
    for exact, path, target in re.findall(
            r"location\s+(=\s+)?(/\S*)\s*\{\s*proxy_pass\s+(\S+?);", conf):
        if check(target in targets, f"nginx.conf: proxy_pass {target} names no upstream"):
            routes.append((path, bool(exact), *targets[target]))
    return routes


def health_port(service):
    test = " ".join(service.get("healthcheck", {}).get("test", []))
    found = re.search(r"http://127\.0\.0\.1:(\d+)/healthz", test)
    return int(found.group(1)) if found else None


# --- 3, 4, 5: one build against itself and the repository ---------------------------------------

def objects(documents, kind):
    return [d for _, d in documents if d.get("kind") == kind]


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def container_env(container, config):
    """The environment a container gets: the ConfigMap's, then its own env (which wins)."""
    env = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(config.get(source["configMapRef"]["name"], {}))
    for variable in container.get("env", []):
        env[variable["name"]] = variable.get("value", variable.get("valueFrom"))
    return env


def check_build(name, documents):
    schema = json.loads(read("tests/deploy/k8s-schema.json"))
    for source, document in documents:
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=str)
        label = f"{name}: {source}: {document.get('kind')}/{document.get('metadata', {}).get('name')}"
        check(not errors, f"{label}: " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:3]))
    check_against_api(name, documents)

    keys = [(d["kind"], d["metadata"]["name"]) for _, d in documents]
    check(len(keys) == len(set(keys)), f"{name}: an object is defined twice")

    workloads = {d["metadata"]["name"]: d for d in objects(documents, "Deployment") +
                 objects(documents, "StatefulSet")}
    services = {d["metadata"]["name"]: d for d in objects(documents, "Service")}
    claims = {d["metadata"]["name"]: d for d in objects(documents, "PersistentVolumeClaim")}
    config = {d["metadata"]["name"]: d.get("data", {}) for d in objects(documents, "ConfigMap")}
    secrets = {d["metadata"]["name"]: d.get("stringData", {}) for d in objects(documents, "Secret")}

    def pods_of(service):
        return [w for w in workloads.values()
                if selects(service["spec"].get("selector"), w["spec"]["template"]["metadata"]["labels"])]

    def ports_of(workload):
        return {p.get("name"): p["containerPort"]
                for c in workload["spec"]["template"]["spec"]["containers"] for p in c.get("ports", [])}

    # Services select exactly one workload and target ports its pods declare.
    for service_name, service in services.items():
        selected = pods_of(service)
        if check(len(selected) == 1, f"{name}: Service {service_name} selects {len(selected)} workloads"):
            declared = ports_of(selected[0])
            for port in service["spec"]["ports"]:
                target = port.get("targetPort", port["port"])
                check(target in declared or target in declared.values(),
                      f"{name}: Service {service_name} targets port {target}, not declared by "
                      f"{selected[0]['metadata']['name']}")
    for workload_name, workload in workloads.items():
        spec = workload["spec"]
        check(selects(spec["selector"]["matchLabels"], spec["template"]["metadata"]["labels"]),
              f"{name}: {workload_name}'s selector does not match its own pods")
        if workload["kind"] == "StatefulSet":
            governing = services.get(spec["serviceName"])
            check(governing is not None and governing["spec"].get("clusterIP") == "None"
                  and workload in pods_of(governing),
                  f"{name}: {workload_name}'s serviceName {spec['serviceName']} is no headless Service selecting it")
        pod = spec["template"]["spec"]
        for volume in pod.get("volumes", []):
            claim = volume.get("persistentVolumeClaim", {}).get("claimName")
            if claim:
                check(claim in claims, f"{name}: {workload_name} mounts claim {claim}, which is not defined")
        for container in pod["containers"]:
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    check(ref["key"] in secrets.get(ref["name"], {}),
                          f"{name}: {workload_name} reads {ref['name']}/{ref['key']}, which is not defined")
            for source in container.get("envFrom", []):
                check("configMapRef" in source and source["configMapRef"]["name"] in config,
                      f"{name}: {workload_name} takes its environment from something not defined: {source}")
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                port = container.get(probe, {}).get("httpGet", {}).get("port")
                if port is not None:
                    check(port in ports_of(workload) or port in ports_of(workload).values(),
                          f"{name}: {workload_name}'s {probe} uses port {port}, which it does not declare")

    # Ingress backends exist.
    ingress_routes = []
    hosts = set()
    for ingress in objects(documents, "Ingress"):
        for rule in ingress["spec"]["rules"]:
            hosts.add(rule.get("host"))
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                service = services.get(backend["name"])
                if not check(service is not None,
                             f"{name}: Ingress path {path['path']} goes to Service {backend['name']}, not defined"):
                    continue
                port = next((p for p in service["spec"]["ports"]
                             if p.get("name") == backend["port"].get("name")
                             or p["port"] == backend["port"].get("number")), None)
                if not check(port is not None, f"{name}: Ingress path {path['path']}: Service {backend['name']} has no such port"):
                    continue
                target_workload = pods_of(service)[0] if pods_of(service) else None
                if target_workload is None:
                    continue
                declared = ports_of(target_workload)
                target = port.get("targetPort", port["port"])
                container_port = declared.get(target, target)
                ingress_routes.append((path["path"], path["pathType"] == "Exact",
                                       target_workload["metadata"]["name"], container_port))
    check(len(hosts) == 1, f"{name}: the Ingresses name {len(hosts)} hosts, expected one: {hosts}")
    public = config.get("switchboard-config", {}).get("PUBLIC_BASE_URL", "")
    check(public == "https://" + next(iter(hosts), ""),
          f"{name}: PUBLIC_BASE_URL {public} is not the Ingress's host")

    # --- against compose, the Dockerfile and nginx.conf ----------------------------------------
    compose = compose_services()
    carrier = CARRIERS[name]
    expected = {"bus", "router", "spark-gateway", "ingress-web", carrier}
    check(set(workloads) == expected, f"{name}: workloads {sorted(workloads)}, expected {sorted(expected)}")
    dockerfile = read("deploy/Dockerfile")
    uid = re.search(r"useradd[^\n]*--uid (\d+)", dockerfile)
    image_env = dict(re.findall(r"(\w+)=(\S+)", (re.findall(r"^ENV (.*)$", dockerfile, re.M) or [""])[-1]))
    for workload_name in sorted(expected & set(workloads) & set(compose)):
        workload, service = workloads[workload_name], compose[workload_name]
        pod = workload["spec"]["template"]["spec"]
        container = pod["containers"][0]
        label = f"{name}: {workload_name}"
        check(len(pod["containers"]) == 1, f"{label}: one container per pod")
        check(container["image"] == service["image"],
              f"{label}: image {container['image']}, compose has {service['image']}")
        check(container.get("args") == service.get("command"),
              f"{label}: args {container.get('args')}, compose's command is {service.get('command')}")
        check(re.search(r"/build/" + re.escape(container["args"][0]) + r"\b", dockerfile) is not None,
              f"{label}: the image does not ship {container['args'][0]}")
        check(uid is not None and pod["securityContext"]["runAsUser"] == int(uid.group(1)),
              f"{label}: runAsUser {pod['securityContext']['runAsUser']} is not the image's user")
        port = health_port(service)
        check(port is not None and ports_of(workload).get("http") == port,
              f"{label}: http port {ports_of(workload).get('http')}, compose's health check uses {port}")
        mounts = [m["mountPath"] for m in container.get("volumeMounts", [])]
        compose_mounts = [v.split(":")[1] for v in service.get("volumes", [])]
        check(mounts == compose_mounts, f"{label}: mounts {mounts}, compose mounts {compose_mounts}")
        env = container_env(container, config)
        for key in ("DATA_DIR", "HTTP_HOST"):
            check(env.get(key) == image_env.get(key),
                  f"{label}: {key}={env.get(key)}, the image's ENV says {image_env.get(key)}")
        if mounts:
            check(env.get("DATA_DIR") == mounts[0], f"{label}: DATA_DIR is not where its volume is mounted")
        for key, value in (service.get("environment") or {}).items():
            value = "" if value is None else str(value)
            if value == "":  # compose keeps it from this service: so must Kubernetes
                check(not env.get(key), f"{label}: gets {key}, which compose withholds from it")
            elif "${" in value:  # from .env: Kubernetes must set it too
                check(bool(env.get(key)), f"{label}: compose sets {key} ({value}); Kubernetes does not")
            else:
                check(env.get(key) == value, f"{label}: {key}={env.get(key)}, compose has {value}")
        check(all(k not in env for k in service.get("environment", {}) if k.startswith("SANDBOX")),
              f"{label}: sandbox settings in production")

    # The public paths: every route nginx has (but the other carrier's) is an Ingress route to
    # the same service and container port.
    gateways = {health_port(compose[g]): g for g in CARRIERS.values()}
    for path, exact, host, port in nginx_routes():
        target = gateways.get(port) if host == "sms-gateway" else host
        if target in CARRIERS.values() and target != carrier:
            continue
        check((path, exact, target, port) in ingress_routes,
              f"{name}: nginx routes {'= ' if exact else ''}{path} to {target}:{port}; no Ingress does")
    nginx_paths = {r[0] for r in nginx_routes()}
    for path, _, target, _ in ingress_routes:
        if path not in nginx_paths:
            note(f"{name}: the Ingress routes {path} (to {target}), which this nginx.conf does not")

    # Settings: read by the service, documented, secrets only in Secrets, placeholders empty.
    common = setting_literals(["libs/common/src", "libs/common/include"])
    documented, secret_settings = documented_settings()
    all_read = common | setting_literals(["services"])
    for key in config.get("switchboard-config", {}):
        if key in PENDING_SETTINGS and key not in all_read:
            note(f"{key} is set, and read by no source on this branch yet (it lands with partitions)")
            continue
        check(key in all_read, f"{name}: config.yaml sets {key}, which no service reads")
        check(key in documented, f"{name}: config.yaml sets {key}, which no README documents")
        check(key not in secret_settings, f"{name}: {key} is a secret, but in the ConfigMap")
        if key == "TRUSTED_PROXIES":
            for entry in config["switchboard-config"][key].split(","):
                try:
                    ipaddress.ip_network(entry.strip(), strict=True)
                    check(True, "")
                except ValueError as error:
                    check(False, f"{name}: TRUSTED_PROXIES entry {entry}: {error}")
    for secret_name, values in secrets.items():
        for key, value in values.items():
            check(value == "", f"{name}: Secret {secret_name} holds a value for {key}: placeholders only")
            check(key in secret_settings, f"{name}: Secret {secret_name} holds {key}, which no README marks (secret)")
    for workload_name, workload in workloads.items():
        reads = common | setting_literals([os.path.join("services", workload_name)])
        container = workload["spec"]["template"]["spec"]["containers"][0]
        for variable in container.get("env", []):
            check(variable["name"] in reads,
                  f"{name}: {workload_name} is given {variable['name']}, which it does not read")
            ref = variable.get("valueFrom", {}).get("secretKeyRef")
            if ref and ref["name"] == "switchboard-bus-server":
                check(workload_name == "bus", f"{name}: {workload_name} gets the bus's secret key")

    # The shape of each service.
    for workload_name, workload in workloads.items():
        pod = workload["spec"]["template"]["spec"]
        claim_names = [v["persistentVolumeClaim"]["claimName"] for v in pod.get("volumes", [])
                       if "persistentVolumeClaim" in v]
        if workload_name in PARTITIONED:
            check(workload["kind"] == "StatefulSet", f"{name}: {workload_name} must be a StatefulSet")
            check("volumeClaimTemplates" not in workload["spec"],
                  f"{name}: {workload_name}: a claim per pod would strand a dead pod's partitions")
        if workload_name in PARTITIONED | {"ingress-web"}:
            check(len(claim_names) == 1 and claims.get(claim_names[0], {}).get("spec", {})
                  .get("accessModes") == ["ReadWriteMany"],
                  f"{name}: {workload_name} needs one ReadWriteMany claim shared by its replicas")
        if workload_name == "ingress-web":
            check(workload["kind"] == "Deployment", f"{name}: ingress-web must be a Deployment")
            env = container_env(pod["containers"][0], config)
            check(env.get("CSRF_SECRET") is not None and env.get("TRUSTED_PROXIES"),
                  f"{name}: ingress-web needs CSRF_SECRET and TRUSTED_PROXIES")
        if workload_name == "bus":
            check(workload["kind"] == "Deployment" and workload["spec"].get("replicas") == 1
                  and workload["spec"].get("strategy", {}).get("type") == "Recreate",
                  f"{name}: the bus is one replica, replaced (Recreate), never two at once")
            check(not claim_names, f"{name}: the bus keeps no state")


def check_kustomize(built):
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        note("kubectl is not installed: `kubectl kustomize` was NOT run (the builds above are this "
             "script's own reading of `resources` and `namespace`)")
        return
    version = subprocess.run([kubectl, "version", "--client"], capture_output=True, text=True,
                             timeout=60).stdout
    found = re.search(r"Kustomize Version: v(\d+)", version)
    if not found or int(found.group(1)) < 4:
        # Debian bookworm's kubernetes-client (1.20) embeds kustomize v2.0.3, which predates
        # folders in `resources`.
        note(f"kubectl's kustomize is older than v4 ({version.strip()[:80]}): `kubectl kustomize` was NOT run")
        return
    for name, directory in BUILDS.items():
        # Offline: kustomize reads files only; nothing here contacts a server.
        result = subprocess.run([kubectl, "kustomize", directory], capture_output=True, text=True,
                                timeout=120)
        if not check(result.returncode == 0, f"{name}: kubectl kustomize failed: {result.stderr.strip()[:500]}"):
            continue
        theirs = sorted((json.dumps(d, sort_keys=True) for d in yaml.safe_load_all(result.stdout) if d))
        ours = sorted(json.dumps(d, sort_keys=True) for _, d in built[name])
        check(theirs == ours, f"{name}: kubectl kustomize builds other objects than this check read")


def main():
    built = {}
    for name, directory in BUILDS.items():
        built[name] = load_kustomization(directory)
        check(len(built[name]) > 0, f"{name}: no objects")
        check_build(name, built[name])
    check_kustomize(built)
    for line in dict.fromkeys(notes):
        print("note: " + line)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
