#!/usr/bin/python3
# The Kubernetes manifests of deploy/kubernetes: every document parses,
# has what its kind needs, and the pieces fit together (selectors and
# labels, Service target ports and container ports, probes on the
# metrics port the configuration opens, the ConfigMaps the pods mount,
# the restricted securityContext).  Each dnstlsd.conf is checked with
# "dnstlsd -n" too.  No cluster needed.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# usage: check_manifests.py DIR [DNSTLSD]
# Prints "ok"/"FAIL" lines and "manifests: N passed, N failed".

import os
import re
import subprocess
import sys
import tempfile

import yaml

# Statements of SPEC section 2 that a daemon may not know yet: a
# configuration using them is checked by the grammar of SPEC only, and
# says so, until the daemon parses them (then "dnstlsd -n" decides).
SPEC_KEYWORDS = {"listen", "upstream", "ca", "user", "cache", "policy",
                 "ratelimit", "allow", "deny", "forward", "metrics"}
RESTRICTED_CAPS = {"NET_BIND_SERVICE"}
# what the root start needs (regress/t_80_image_root.sh runs with these)
ROOT_START_CAPS = {"NET_BIND_SERVICE", "SYS_CHROOT", "SETUID", "SETGID",
                   "SETPCAP", "CHOWN"}
RUN_AS = 65532

passed = 0
failed = 0


def ok(what):
    global passed
    passed += 1
    print("ok   " + what)


def no(what):
    global failed
    failed += 1
    print("FAIL " + what)


def check(cond, what):
    (ok if cond else no)(what)
    return cond


def get(d, path, default=None):
    """d["a"]["b"]... for path "a.b...", default where a step is missing."""
    for k in path.split("."):
        if not isinstance(d, dict) or k not in d:
            return default
        d = d[k]
    return d


def conf_ports(conf):
    """(listen ports, metrics ports) of a dnstlsd.conf text."""
    listen, metrics = set(), set()
    for line in conf.splitlines():
        w = line.split("#", 1)[0].split()
        if len(w) >= 3 and w[0] == "listen" and w[1] == "on":
            listen.add(int(w[4]) if len(w) >= 5 and w[3] == "port" else 53)
        if len(w) >= 4 and w[:3] == ["metrics", "listen", "on"]:
            metrics.add(int(w[5]) if len(w) >= 6 and w[4] == "port"
                        else 9153)
    return listen, metrics


def check_conf(name, conf, dnstlsd):
    words = {line.split()[0] for line in conf.splitlines()
             if line.split() and not line.lstrip().startswith("#")}
    check(words <= SPEC_KEYWORDS,
          "%s: statements of SPEC section 2 only (%s)" %
          (name, ", ".join(sorted(words - SPEC_KEYWORDS)) or "all known"))
    if not dnstlsd:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".conf") as f:
        f.write(conf)
        f.flush()
        r = subprocess.run([dnstlsd, "-n", "-f", f.name],
                           capture_output=True, text=True, timeout=10)
    out = (r.stderr + r.stdout).strip()
    m = re.search(r'unknown keyword "([a-z-]+)"', out)
    if r.returncode != 0 and m and m.group(1) in SPEC_KEYWORDS:
        ok("%s: dnstlsd -n: this daemon does not parse \"%s\" yet; checked "
           "by the SPEC grammar above only" % (name, m.group(1)))
        return
    check(r.returncode == 0, "%s: dnstlsd -n: %s" %
          (name, out.replace(f.name, "dnstlsd.conf")))


def container_ports(c):
    return {p.get("name"): (p.get("containerPort"), p.get("protocol", "TCP"))
            for p in c.get("ports", [])}


def check_security(name, pod, c, restricted):
    def either(path):
        v = get(c, "securityContext." + path)
        return v if v is not None else get(pod, "securityContext." + path)

    sc = c.get("securityContext", {})
    check(sc.get("allowPrivilegeEscalation") is False,
          name + ": allowPrivilegeEscalation false")
    check(sc.get("readOnlyRootFilesystem") is True,
          name + ": readOnlyRootFilesystem")
    check(sc.get("privileged", False) is False, name + ": not privileged")
    check(get(sc, "capabilities.drop") == ["ALL"],
          name + ": capabilities drop ALL")
    add = set(get(sc, "capabilities.add", []))
    allowed = RESTRICTED_CAPS if restricted else ROOT_START_CAPS
    check(add <= allowed, "%s: capabilities added: %s (at most %s)" %
          (name, " ".join(sorted(add)) or "none", " ".join(sorted(allowed))))
    check(either("seccompProfile.type") == "RuntimeDefault",
          name + ": seccompProfile RuntimeDefault")
    if restricted:
        check(either("runAsNonRoot") is True, name + ": runAsNonRoot")
        check(either("runAsUser") == RUN_AS, name + ": runAsUser %d" % RUN_AS)
        check(either("runAsGroup") == RUN_AS,
              name + ": runAsGroup %d" % RUN_AS)
    else:
        check(either("runAsUser") == 0 and either("runAsNonRoot") is False,
              name + ": the root start, said so (runAsUser 0, "
              "runAsNonRoot false)")


def check_probes(name, c, ports, metrics_ports):
    for probe, path in (("livenessProbe", "/health"),
                        ("readinessProbe", "/ready")):
        g = get(c, probe + ".httpGet")
        if not check(isinstance(g, dict), "%s: %s is httpGet (no shell)" %
                     (name, probe)):
            continue
        port = g.get("port")
        num = ports.get(port, (port,))[0] if isinstance(port, str) else port
        check(g.get("path") == path and num in metrics_ports,
              "%s: %s GET %s on the metrics port %s" %
              (name, probe, g.get("path"), num))


def check_memory(name, c):
    req = get(c, "resources.requests.memory")
    lim = get(c, "resources.limits.memory")

    def mib(v):
        m = re.fullmatch(r"([0-9]+)(Mi|Gi)", str(v))
        return int(m.group(1)) * (1024 if m.group(2) == "Gi" else 1) \
            if m else None
    check(mib(req) is not None and mib(lim) is not None and
          mib(req) <= mib(lim),
          "%s: memory request %s, limit %s" % (name, req, lim))


def check_workload(name, doc, configmaps):
    spec = doc.get("spec", {})
    tmpl = spec.get("template", {})
    pod = tmpl.get("spec", {})
    labels = get(tmpl, "metadata.labels", {})
    sel = get(spec, "selector.matchLabels", {})
    check(sel and all(labels.get(k) == v for k, v in sel.items()),
          name + ": selector matches the pod labels")
    cs = pod.get("containers", [])
    if not check(len(cs) == 1, name + ": one container"):
        return None
    c = cs[0]
    check(bool(c.get("image")), name + ": image")
    ports = container_ports(c)
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    for m in c.get("volumeMounts", []):
        check(m.get("name") in vols, "%s: volume %s mounted at %s exists" %
              (name, m.get("name"), m.get("mountPath")))
    check(any(m.get("mountPath") == "/run" for m in c.get("volumeMounts", [])),
          name + ": /run writable for the control socket")
    conf = None
    for v in vols.values():
        cm = get(v, "configMap.name")
        if cm is None:
            continue
        if check(cm in configmaps, "%s: ConfigMap %s is defined" % (name, cm)):
            conf = configmaps[cm]
    if not check(conf is not None, name + ": a dnstlsd.conf is mounted"):
        return None
    listen, metrics = conf_ports(conf)
    dns = {n: p for n, p in ports.items() if n and n.startswith("dns-")}
    check({p for p, _ in dns.values()} == listen and
          {proto for _, proto in dns.values()} == {"UDP", "TCP"},
          "%s: container ports %s are the listen ports %s, UDP and TCP" %
          (name, sorted(dns.values()), sorted(listen)))
    check_probes(name, c, ports, metrics)
    ann = get(tmpl, "metadata.annotations", {})
    check(ann.get("prometheus.io/scrape") == "true" and
          int(ann.get("prometheus.io/port", 0)) in metrics and
          ann.get("prometheus.io/path") == "/metrics",
          name + ": Prometheus scrape annotations on the metrics port")
    check_memory(name, c)
    check(pod.get("automountServiceAccountToken") is False,
          name + ": no service account token")
    return labels, ports, pod, c


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: check_manifests.py DIR [DNSTLSD]", file=sys.stderr)
        return 2
    d = argv[1]
    dnstlsd = argv[2] if len(argv) == 3 else None
    docs = []
    files = sorted(f for f in os.listdir(d) if f.endswith(".yaml"))
    for f in files:
        try:
            with open(os.path.join(d, f)) as fp:
                for doc in yaml.safe_load_all(fp):
                    if doc is not None:
                        docs.append((f, doc))
            ok(f + ": YAML parses")
        except yaml.YAMLError as e:
            no("%s: %s" % (f, str(e).replace("\n", " ")))
    configmaps = {}
    for f, doc in docs:
        name = "%s: %s %s" % (f, doc.get("kind"), get(doc, "metadata.name"))
        if doc.get("kind") == "Kustomization":
            for r in doc.get("resources", []):
                check(os.path.exists(os.path.join(d, r)),
                      "%s: resource %s exists" % (name, r))
            continue
        check(bool(doc.get("apiVersion")) and bool(doc.get("kind")) and
              bool(get(doc, "metadata.name")),
              name + ": apiVersion, kind, metadata.name")
        if doc.get("kind") == "ConfigMap":
            conf = (doc.get("data") or {}).get("dnstlsd.conf")
            if check(isinstance(conf, str), name + ": data dnstlsd.conf"):
                configmaps[get(doc, "metadata.name")] = conf
                check_conf(name, conf, dnstlsd)
    workloads = {}
    for f, doc in docs:
        kind = doc.get("kind")
        name = "%s: %s %s" % (f, kind, get(doc, "metadata.name"))
        if kind not in ("Deployment", "DaemonSet"):
            continue
        w = check_workload(name, doc, configmaps)
        if w is None:
            continue
        labels, ports, pod, c = w
        workloads[get(doc, "metadata.name")] = w
        if kind == "Deployment":
            check(doc["spec"].get("replicas", 1) >= 2, name + ": 2+ replicas")
            check(get(pod, "affinity.podAntiAffinity") is not None,
                  name + ": pod anti-affinity")
            check(not pod.get("hostNetwork", False), name + ": own network")
            check_security(name, pod, c, restricted=True)
            check(all(p > 1023 for p, _ in ports.values()),
                  name + ": ports a non-root process binds without "
                  "capabilities")
        else:
            check(pod.get("hostNetwork") is True, name + ": hostNetwork")
            check(pod.get("dnsPolicy") == "Default",
                  name + ": dnsPolicy Default (the node's resolver)")
            check_security(name, pod, c, restricted=False)
    services = [(f, doc) for f, doc in docs if doc.get("kind") == "Service"]
    check(len(services) >= 1, "a Service")
    for f, doc in services:
        name = "%s: Service %s" % (f, get(doc, "metadata.name"))
        sel = get(doc, "spec.selector", {})
        match = [w for w in workloads.values()
                 if all(w[0].get(k) == v for k, v in sel.items())]
        if not check(len(match) == 1, name + ": selects one workload"):
            continue
        ports = match[0][1]
        sp = get(doc, "spec.ports", [])
        check({(p.get("port"), p.get("protocol", "TCP")) for p in sp} ==
              {(53, "UDP"), (53, "TCP")}, name + ": port 53 UDP and TCP")
        for p in sp:
            t = p.get("targetPort")
            check(t in ports and ports[t][1] == p.get("protocol", "TCP"),
                  "%s: targetPort %s is a container port of the same "
                  "protocol" % (name, t))
    print("manifests: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
