# The compose stack the deployment test boots, seen from the host: docker-compose against
# podman's socket, the containers as the engine reports them (Docker's API on that socket, the
# same answers compose reads), and the two published ports on 127.0.0.1.
import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import socket
import urllib.parse

from podman_engine import log, run, wait_until

LEASES = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'switchboard-test-ports')


def _alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except PermissionError:
        return True
    except OSError:
        return False


def _try_lease(path):
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            return True
        except FileExistsError:
            pass
        try:
            with open(path) as f:
                holder = int(f.read() or 0)
        except (OSError, ValueError):
            holder = 0
        if holder and _alive(holder):
            return False
        os.remove(path)  # its holder is gone
    return False


def lease_port():
    """A free port on 127.0.0.1, leased like tests/support/ports.mjs (the same files), so no
    test running beside this one is handed it."""
    os.makedirs(LEASES, exist_ok=True)
    low, high = 32768, 60999
    try:
        with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
            low, high = map(int, f.read().split())
    except OSError:
        pass
    first, end = (10000, low) if low > 12000 else (high + 1, 65536)
    span = end - first
    start = random.randrange(span)
    for step in range(span):
        port = first + (start + step) % span
        if not _try_lease(os.path.join(LEASES, str(port))):
            continue
        with socket.socket() as probe:
            try:
                probe.bind(('127.0.0.1', port))
                return port
            except OSError:
                continue
    raise RuntimeError('no port left to lease')


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f'{self.status} {self.body[:300]!r}'


def request(port, method, path, body=None, headers=None, timeout=10):
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return Answer(answer.status, dict(answer.getheaders()), answer.read().decode('utf-8', 'replace'))
    finally:
        connection.close()


def twilio_signature(token, url, params):
    """Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL and every name+value sorted by name."""
    data = url + ''.join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def read_env(path):
    values = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#') and '=' in line:
                name, value = line.split('=', 1)
                values[name] = value
    return values


class Stack:
    def __init__(self, engine, source, compose_dir, project, settings, nginx_port, sandbox_port):
        self.engine = engine
        self.source = source
        self.compose_dir = compose_dir
        self.project = project
        self.settings = settings
        self.nginx_port = nginx_port
        self.sandbox_port = sandbox_port
        self.message_count = 0
        self.overrides = {}

    # ---- compose and the engine ----------------------------------------------------------------

    def compose(self, *args, check=True, timeout=600):
        env = dict(os.environ, DOCKER_HOST=self.engine.docker_host(), COMPOSE_HTTP_TIMEOUT='300',
                   **self.overrides)
        return run(['docker-compose', '-p', self.project, '-f',
                    os.path.join(self.compose_dir, 'docker-compose.yml'), *args],
                   check=check, timeout=timeout, env=env)

    def set_setting(self, name, value):
        """A setting of the compose file itself (its ${...}), given in compose's environment
        from now on. Not written to .env: every service reads .env (env_file), so changing it
        would make compose recreate them all, the sandbox's in-memory world with them."""
        self.overrides[name] = value

    def network_gateway(self):
        name = f'{self.project}_default'
        networks = json.loads(self.engine.podman('network', 'inspect', name).stdout)
        return networks[0]['subnets'][0]['gateway']

    def containers(self, service=None, all=False):
        """The project's containers as Docker's API reports them: [{id, service, ...inspect}]."""
        labels = [f'com.docker.compose.project={self.project}']
        if service:
            labels.append(f'com.docker.compose.service={service}')
        query = urllib.parse.urlencode({'all': '1' if all else '0',
                                        'filters': json.dumps({'label': labels})})
        status, body = self.engine.api('GET', f'/v1.40/containers/json?{query}')
        assert status == 200, body
        found = []
        for summary in json.loads(body):
            status, body = self.engine.api('GET', f'/v1.40/containers/{summary["Id"]}/json')
            if status != 200:
                continue  # removed meanwhile
            details = json.loads(body)
            details['service'] = summary['Labels'].get('com.docker.compose.service')
            found.append(details)
        return found

    @staticmethod
    def health(container):
        return ((container.get('State') or {}).get('Health') or {}).get('Status', 'none')

    @staticmethod
    def addresses(container):
        networks = (container.get('NetworkSettings') or {}).get('Networks') or {}
        return sorted(n.get('IPAddress') for n in networks.values() if n.get('IPAddress'))

    def wait_healthy(self, expected, seconds=120):
        """Waits until the services have the expected numbers of running containers, each
        healthy as the engine reports it. expected: {service: count}."""
        def all_healthy():
            containers = self.containers()
            by_service = {}
            for c in containers:
                by_service.setdefault(c['service'], []).append(c)
            for service, count in expected.items():
                running = [c for c in by_service.get(service, []) if c['State'].get('Running')]
                if len(running) != count or any(self.health(c) != 'healthy' for c in running):
                    self._last_health = {s: [self.health(c) for c in cs] for s, cs in by_service.items()}
                    return False
            return containers
        self._last_health = {}
        try:
            return wait_until(all_healthy, seconds, f'healthy containers {expected}', every=1)
        except AssertionError as error:
            raise AssertionError(f'{error}; health now: {self._last_health}') from None

    def metric(self, container, port, name):
        """A metric's value as the container's own /metrics shows it (from inside: no service
        publishes its port), or None when it is not there."""
        result = self.engine.podman('exec', container['Id'], 'curl', '-fsS',
                                    f'http://127.0.0.1:{port}/metrics', check=False, timeout=30)
        match = re.search(r'^\w*' + re.escape(name) + r'(?:\{[^}]*\})? ([0-9.e+-]+)$', result.stdout, re.M)
        return float(match.group(1)) if match else None

    # ---- the public side: nginx's published port ---------------------------------------------

    def public(self, method, path, body=None, headers=None):
        return request(self.nginx_port, method, path, body, headers)

    def text_in(self, number, text):
        """A customer's SMS as Twilio delivers it: a signed webhook to nginx's public path."""
        self.message_count += 1
        params = {
            'MessageSid': 'SM' + hashlib.md5(f'{self.project}-{self.message_count}'.encode()).hexdigest(),
            'AccountSid': self.settings['TWILIO_ACCOUNT_SID'],
            'From': number, 'To': self.settings['TWILIO_FROM_NUMBER'], 'Body': text,
            'NumMedia': '0', 'NumSegments': '1', 'SmsStatus': 'received', 'ApiVersion': '2010-04-01',
        }
        params['SmsSid'] = params['SmsMessageSid'] = params['MessageSid']
        # twilio-gateway checks the signature against its own public origin (PUBLIC_BASE_URL).
        url = self.settings['TWILIO_GATEWAY_PUBLIC_BASE_URL'] + '/api/twilio/sms/'
        headers = {'Content-Type': 'application/x-www-form-urlencoded',
                   'X-Twilio-Signature': twilio_signature(self.settings['TWILIO_AUTH_TOKEN'], url, params)}
        return self.public('POST', '/api/twilio/sms/', urllib.parse.urlencode(params), headers)

    def submit_form(self, fields, forwarded_for=None):
        """The contact form as a browser fills it in; forwarded_for: the client's address as the
        load balancer in front of nginx names it."""
        client = {'X-Forwarded-For': forwarded_for} if forwarded_for else {}
        form = self.public('GET', '/contact/', headers=dict(client))
        assert form.status == 200, f'GET /contact/: {form}'
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.body)
        assert token, 'no csrf_token in the form'
        headers = dict(client, **{'Content-Type': 'application/x-www-form-urlencoded'})
        cookie = form.headers.get('Set-Cookie')
        if cookie:
            headers['Cookie'] = cookie.split(';')[0]
        return self.public('POST', '/contact/',
                           urllib.parse.urlencode(dict(fields, csrf_token=token.group(1))), headers)

    # ---- the sandbox: Webex's rooms and the phones ---------------------------------------------

    def sandbox(self, method, path, body=None):
        answer = request(self.sandbox_port, method, path, json.dumps(body) if body is not None else None,
                      {'Content-Type': 'application/json'} if body is not None else None)
        assert answer.status in (200, 201, 202), f'{method} {path}: {answer}'
        return answer.json()

    def rooms_for(self, number):
        digits = number[-10:]
        return [r for r in self.sandbox('GET', '/sandbox/spark/rooms')['items']
                if digits in r.get('title', '')]

    def all_rooms(self):
        return self.sandbox('GET', '/sandbox/spark/rooms')['items']

    def wait_room(self, number, seconds=60):
        return wait_until(lambda: (lambda rooms: rooms[0]['id'] if len(rooms) == 1 else None)(
            self.rooms_for(number)), seconds, f'the room of {number}')

    def posts(self, room_id):
        return [m.get('text', '') for m in
                self.sandbox('GET', f'/sandbox/spark/rooms/{room_id}/messages')['items']
                if m.get('fromProxy')]

    def wait_post(self, room_id, text, seconds=60):
        wait_until(lambda: any(text in p for p in self.posts(room_id)), seconds,
                   f'a post with {text!r} in room {room_id}')

    def reply(self, room_id, text, agent='alice@sandbox.example'):
        return self.sandbox('POST', f'/sandbox/spark/rooms/{room_id}/messages', {'as': agent, 'text': text})

    def sent_sms(self):
        """Every message the sandbox's Twilio REST API accepted: [{to, body, ...}]."""
        answer = self.sandbox('GET', '/sandbox/twilio/messages')
        return answer if isinstance(answer, list) else answer.get('messages', answer.get('items', []))

    def inbox(self, number):
        answer = request(self.sandbox_port, 'GET', '/sandbox/twilio/phones/' + urllib.parse.quote(number))
        if answer.status == 404:
            return []
        assert answer.status == 200, answer
        return [m.get('text', '') for m in answer.json().get('inbox', [])]

    def wait_inbox(self, number, predicate, what, seconds=60):
        return wait_until(lambda: (lambda box: box if predicate(box) else None)(self.inbox(number)),
                          seconds, f'{number}: {what}')


WELCOME = re.compile('repl.*reach.*team', re.I)


def is_welcome(sms):
    return bool(WELCOME.search(sms))
