# The deployment test's steps on one replica of each service: health, a conversation through
# nginx, restarts nginx follows, a crash the engine repairs, and `down -v`. Each step asserts what
# would break if the deployment broke (see deploy_test.py for the list).
import os
import signal

from podman_engine import log, wait_until
from stack import is_welcome

ONE_EACH = {'bus': 1, 'router': 1, 'spark-gateway': 1, 'twilio-gateway': 1, 'ingress-web': 1,
            'sandbox': 1, 'nginx': 1}


def steps(stack):
    state = {}

    def up():
        # The README's command, with the images already built (compose would build the same).
        stack.compose('up', '-d', '--no-build')
        containers = stack.wait_healthy(ONE_EACH, seconds=180)
        services = sorted(c['service'] for c in containers)
        # The demo profile: the sandbox runs, and only the carrier .env names (twilio).
        assert services == sorted(ONE_EACH), services
        for c in containers:
            assert c['Config'].get('Healthcheck', {}).get('Test'), f'{c["service"]} declares no health check'
        # From loopback, the engine's port forwarding masquerades every client as the network's
        # gateway: that is the "load balancer in front of nginx" here, so trust it (as ops would
        # trust theirs) and the X-Forwarded-For the test's clients send names them.
        gateway = stack.network_gateway()
        stack.set_setting('NGINX_TRUSTED_PROXIES', f'{gateway}/32')
        stack.compose('up', '-d', '--no-build', 'nginx')
        stack.wait_healthy(ONE_EACH, seconds=60)

    def conversation():
        number = '+12085550171'
        answer = stack.text_in(number, 'Hello from the deployment test')
        assert answer.status == 200, f'the SMS webhook through nginx: {answer}'
        room = stack.wait_room(number)
        stack.wait_post(room, 'Hello from the deployment test')
        stack.wait_inbox(number, lambda box: len(box) == 1 and is_welcome(box[0]), 'one welcome SMS')
        stack.reply(room, 'Your parcel left the warehouse today')
        box = stack.wait_inbox(number, lambda box: 'Your parcel left the warehouse today' in box,
                               "the agent's reply")
        assert len(box) == 2, box
        state['customer'], state['room'] = number, room

    def contact_form():
        answer = stack.submit_form({'name': 'Jane Roe', 'email': 'jane.roe@example.com',
                                    'phone': '(208) 555-0172', 'message': 'Do you ship to Boise?',
                                    'website_check': ''})
        assert answer.status == 303, f'the contact form through nginx: {answer}'
        room = stack.wait_room('+12085550172')
        stack.wait_post(room, 'Do you ship to Boise?')

    def restarts():
        nginx_before = stack.containers('nginx')[0]
        before = {s: stack.addresses(stack.containers(s)[0]) for s in ('ingress-web', 'twilio-gateway')}
        stack.compose('restart', '-t', '5', 'ingress-web', 'twilio-gateway')
        containers = stack.wait_healthy(ONE_EACH, seconds=120)
        after = {s: stack.addresses([c for c in containers if c['service'] == s][0])
                 for s in ('ingress-web', 'twilio-gateway')}
        log(f'addresses before {before}, after {after}')
        # Otherwise this step could not tell a following nginx from one that resolved once.
        assert all(before[s] != after[s] for s in before), 'a restart kept its address'
        # nginx re-resolves within its resolver's `valid` (2 s): serving again soon, no restart.
        wait_until(lambda: stack.public('GET', '/').status == 200, 15, 'the website through nginx')
        number = state['customer']
        wait_until(lambda: stack.text_in(number, 'Still there after the restart?').status == 200, 15,
                   'the SMS webhook through nginx')
        stack.wait_post(state['room'], 'Still there after the restart?')
        answer = stack.submit_form({'name': 'Restart Check', 'email': 'restart@example.com',
                                    'phone': '(208) 555-0173', 'message': 'Form after the restart',
                                    'website_check': ''})
        assert answer.status == 303, answer
        stack.wait_post(stack.wait_room('+12085550173'), 'Form after the restart')
        nginx_after = stack.containers('nginx')[0]
        assert nginx_after['Id'] == nginx_before['Id'], 'nginx was recreated'
        assert nginx_after['State']['StartedAt'] == nginx_before['State']['StartedAt'], 'nginx restarted'
        assert nginx_after['RestartCount'] == nginx_before['RestartCount'], 'nginx restarted'

    def crash():
        router = stack.containers('router')[0]
        pid = router['State']['Pid']
        assert pid > 0, router['State']
        log(f'kill -9 {pid} (the router container {router["Id"][:12]}\'s main process)')
        os.kill(pid, signal.SIGKILL)
        # While it is down (or coming back), customers keep texting: the gateway holds their SMS.
        number = state['customer']
        for n in range(3):
            answer = stack.text_in(number, f'Sent while the router was down {n}')
            assert answer.status == 200, answer
        newcomer = '+12085550174'
        assert stack.text_in(newcomer, 'First SMS while the router was down').status == 200

        def restarted():
            now = stack.containers('router')[0]
            return now if now['State'].get('Running') and now['State']['Pid'] not in (0, pid) else None
        now = wait_until(restarted, 60, 'the engine to restart the router')
        assert now['Id'] == router['Id'], 'the router was recreated, not restarted'
        stack.wait_healthy(ONE_EACH, seconds=90)
        for n in range(3):
            stack.wait_post(state['room'], f'Sent while the router was down {n}')
        room = stack.wait_room(newcomer)
        stack.wait_post(room, 'First SMS while the router was down')
        stack.wait_inbox(newcomer, lambda box: sum(map(is_welcome, box)) == 1, 'one welcome SMS')
        stack.reply(state['room'], 'Answer after the crash')
        stack.wait_inbox(number, lambda box: 'Answer after the crash' in box, "the agent's reply")
        # Exactly one room each: the restarted router remembered its customers.
        assert len(stack.rooms_for(number)) == 1 and len(stack.rooms_for(newcomer)) == 1

    def down():
        stack.compose('down', '-v', '--remove-orphans', '-t', '5')
        engine = stack.engine
        left = engine.podman('ps', '-a', '-q', '--filter',
                             f'label=com.docker.compose.project={stack.project}').stdout.split()
        volumes = [v for v in engine.podman('volume', 'ls', '--format', '{{.Name}}').stdout.split()
                   if v.startswith(stack.project)]
        labelled = engine.podman('volume', 'ls', '-q', '--filter',
                                 f'label=com.docker.compose.project={stack.project}').stdout.split()
        networks = [n for n in engine.podman('network', 'ls', '--format', '{{.Name}}').stdout.split()
                    if n.startswith(stack.project)]
        anonymous = [v for v in engine.podman('volume', 'ls', '--format', '{{.Name}}').stdout.split()
                     if v in state.get('volumes_seen', ())]
        assert not (left or volumes or labelled or networks or anonymous), \
            f'left behind: containers {left}, volumes {volumes + labelled + anonymous}, networks {networks}'

    def remember_volumes():
        # Every volume any container mounts, named or anonymous: down -v must take them all.
        seen = set()
        for c in stack.containers(all=True):
            for mount in c.get('Mounts') or []:
                if mount.get('Type') == 'volume' and mount.get('Name'):
                    seen.add(mount['Name'])
        state['volumes_seen'] = seen
        log(f'volumes in use: {sorted(seen)}')

    import scale_steps
    return [
        ('up: every container healthy as the engine reports it', up),
        ('conversation through nginx: SMS in, room, welcome, reply out', conversation),
        ('contact form through nginx', contact_form),
        ('restart ingress-web and twilio-gateway: nginx follows without a restart', restarts),
        ('kill -9 of the router from the host: restarted by the engine, nothing lost', crash),
        *scale_steps.steps(stack, state),
        ('volumes in use', remember_volumes),
        ('down -v leaves no container, volume or network', down),
    ]
