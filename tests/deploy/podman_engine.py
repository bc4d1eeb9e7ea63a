# The container engine the deployment test runs the shipped compose file on: Debian's podman
# with runc, its Docker-compatible socket, and docker-compose 1.29 against that socket
# (shared/CONTAINERS.md has the machine facts this follows). Everything here is setup and
# plumbing; the checks are in deploy_test.py.
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

PACKAGES = ['podman', 'runc', 'netavark', 'aardvark-dns', 'catatonit', 'iptables', 'debootstrap',
            'docker-compose', 'curl']
# The base image the Dockerfiles name, made from Debian's packages where no registry is reachable.
BASE_IMAGE = 'docker.io/library/debian:bookworm-slim'
CACHE_DIR = os.environ.get('SWITCHBOARD_CACHE_DIR', '/var/cache/switchboard')

# crun fails on this cgroup-v1 hybrid host and the default ulimits fail with EPERM; without
# systemd, events and logs go to files.
CONTAINERS_CONF = '''[containers]
default_ulimits = []
log_driver = "k8s-file"
[engine]
runtime = "runc"
events_logger = "file"
'''


def log(message):
    print(f'[{time.strftime("%H:%M:%S")}] {message}', flush=True)


class Timeout(AssertionError):
    pass


class Skip(Exception):
    """A step that cannot run here, reported as skipped (with its reason), never as passed."""


def wait_until(condition, seconds, what, every=0.25):
    """Polls condition() until it returns something truthy or the deadline passes."""
    deadline = time.monotonic() + seconds
    last_error = None
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # a condition that cannot be evaluated yet is not met
            last_error = error
        if time.monotonic() >= deadline:
            detail = f' (last error: {last_error})' if last_error else ''
            raise Timeout(f'timed out after {seconds} s waiting for {what}{detail}')
        time.sleep(every)


def run(args, check=True, timeout=600, env=None, capture=True):
    result = subprocess.run(args, capture_output=capture, text=True, timeout=timeout,
                            env=env, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise AssertionError(f'{" ".join(args)} exited {result.returncode}:\n'
                             f'{result.stdout}\n{result.stderr}')
    return result


def ensure_packages():
    missing = [p for p in PACKAGES
               if 'install ok installed' not in run(['dpkg-query', '-W', '-f=${Status}', p],
                                                    check=False).stdout]
    if not missing:
        return
    log(f'installing {" ".join(missing)}')
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    run(['apt-get', 'update', '-qq'], env=env)
    run(['apt-get', 'install', '-y', '-qq'] + missing, env=env)


def debian_mirror():
    """The Debian mirror apt uses here (deb822 sources or the classic list)."""
    texts = []
    for folder in ('/etc/apt/sources.list.d',):
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith(('.sources', '.list')):
                    with open(os.path.join(folder, name)) as f:
                        texts.append(f.read())
    if os.path.exists('/etc/apt/sources.list'):
        with open('/etc/apt/sources.list') as f:
            texts.append(f.read())
    for text in texts:
        for match in re.finditer(r'(?:URIs:\s*|^deb\s+(?:\[[^\]]*\]\s+)?)(\S+)', text, re.M):
            uri = match.group(1)
            if 'security' not in uri and uri.startswith('http'):
                return uri
    return 'http://deb.debian.org/debian'


class Engine:
    """podman with the test's containers.conf, and its Docker-compatible API on a private socket."""

    def __init__(self, workdir):
        self.workdir = workdir
        conf = os.path.join(workdir, 'containers.conf')
        with open(conf, 'w') as f:
            f.write(CONTAINERS_CONF)
        os.environ['CONTAINERS_CONF'] = conf
        self.socket_path = os.path.join(workdir, 'podman.sock')
        self.service = None
        self.service_log = None

    def podman(self, *args, check=True, timeout=600):
        return run(['podman', *args], check=check, timeout=timeout)

    def ensure_base_image(self):
        if self.podman('image', 'exists', BASE_IMAGE, check=False).returncode == 0:
            return 'present'
        os.makedirs(CACHE_DIR, exist_ok=True)
        tarball = os.path.join(CACHE_DIR, 'debian-bookworm-minbase.tar')
        made = 'cached tarball'
        if not os.path.exists(tarball):
            root = tempfile.mkdtemp(prefix='debootstrap-', dir=CACHE_DIR)
            try:
                mirror = debian_mirror()
                log(f'debootstrap --variant=minbase bookworm from {mirror}')
                run(['debootstrap', '--variant=minbase', 'bookworm', root, mirror], timeout=900)
                partial = tarball + '.partial'
                run(['tar', '-C', root, '-cf', partial, '.'])
                os.replace(partial, tarball)  # whole or not at all: a killed run leaves no half
            finally:
                shutil.rmtree(root, ignore_errors=True)
            made = 'debootstrap'
        with open(tarball, 'rb') as f:
            subprocess.run(['podman', 'import', '-', 'localhost/debian-base:bookworm'], stdin=f,
                           check=True, capture_output=True, timeout=300)
        self.podman('tag', 'localhost/debian-base:bookworm', BASE_IMAGE)
        return made

    def build(self, tag, dockerfile, context):
        # The Dockerfile compiles with the cache lent at /ccache (kept beside the base image).
        ccache = os.path.join(CACHE_DIR, 'ccache')
        os.makedirs(ccache, exist_ok=True)
        self.podman('build', '--pull=never', '--layers', '--volume', f'{ccache}:/ccache', '-f',
                    dockerfile, '-t', tag, context, timeout=3000)

    def start_service(self):
        self.service_log = open(os.path.join(self.workdir, 'podman-service.log'), 'w')
        self.service = subprocess.Popen(
            ['podman', 'system', 'service', '--time=0', f'unix://{self.socket_path}'],
            stdout=self.service_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_until(lambda: self.api('GET', '/_ping')[0] == 200, 30, "podman's API socket")

    def stop_service(self):
        if self.service and self.service.poll() is None:
            self.service.terminate()
            try:
                self.service.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.service.kill()
                self.service.wait()
        if self.service_log:
            self.service_log.close()

    def api(self, method, path):
        connection = _UnixHTTPConnection(self.socket_path)
        try:
            connection.request(method, path)
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()

    def docker_host(self):
        return f'unix://{self.socket_path}'

    def inspect(self, container):
        return json.loads(self.podman('inspect', container).stdout)[0]


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__('localhost', timeout=5)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(5)
        self.sock.connect(self.path)


class HealthChecks(threading.Thread):
    """Runs every container's declared health check at its declared interval, as the engine would
    with systemd: `podman healthcheck run` updates the status podman (and compose) report."""

    def __init__(self, engine, project):
        super().__init__(daemon=True)
        self.engine = engine
        self.project = project
        self.stopping = threading.Event()
        self.due = {}
        self.intervals = {}  # container id -> seconds, None without a health check
        self.runs = 0

    def run(self):
        while not self.stopping.is_set():
            now = time.monotonic()
            for container, interval in self._containers():
                if self.due.get(container, 0) <= now:
                    self.engine.podman('healthcheck', 'run', container, check=False, timeout=60)
                    self.runs += 1
                    self.due[container] = now + interval
            # The next due check, at most a second away so new containers are seen soon.
            self.stopping.wait(1.0)

    def _containers(self):
        listed = self.engine.podman(
            'ps', '--filter', f'label=com.docker.compose.project={self.project}',
            '--format', '{{.ID}}', check=False).stdout.split()
        for container in listed:
            if container not in self.intervals:  # a container's health check never changes
                try:
                    check = self.engine.inspect(container)['Config'].get('Healthcheck') or {}
                except Exception:
                    continue  # gone meanwhile
                self.intervals[container] = ((check.get('Interval') or 30_000_000_000) / 1e9
                                             if check.get('Test') else None)
        return [(c, self.intervals[c]) for c in listed if self.intervals.get(c)]

    def stop(self):
        self.stopping.set()
        self.join(timeout=60)
