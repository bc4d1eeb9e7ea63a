#!/usr/bin/env python3
"""The deployment test (issue 14): builds the images and boots the shipped
deploy/docker-compose.yml for real, on podman + runc, with docker-compose 1.29 against podman's
Docker-compatible socket (shared/CONTAINERS.md), demo profile, then checks what ops relies on:

  health     every container healthy as the engine reports it (the harness runs each declared
             health check at its interval: podman without systemd schedules none)
  talk       a conversation through nginx's published port: a signed Twilio SMS webhook in, the
             customer's room, the welcome SMS, an agent's reply out as SMS; the contact form
  restarts   ingress-web and the carrier gateway restarted (new addresses): nginx keeps serving
             without a restart of its own
  crash      kill -9 of the router's main process from the host: the engine restarts it, and the
             SMS sent while it was down reach the room, and a reply the customer
  scale      (with the partitions branch) replicas of every service; see scale_steps.py
  down       `down -v` leaves no container, volume or network

The base image comes from debootstrap, cached in $SWITCHBOARD_CACHE_DIR (/var/cache/switchboard);
the image build uses podman's layer cache. Every wait has a deadline. Prints each step's time and
a closing 'N passed, N failed' line.
  deploy_test.py SOURCE_DIR [--keep]    (--keep: leave the stack up when a step fails)
"""
import sys
sys.dont_write_bytecode = True  # nothing written into the source tree
import argparse
import os
import secrets
import shutil
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from podman_engine import Engine, HealthChecks, Skip, ensure_packages, log  # noqa: E402
from stack import Stack, lease_port, read_env  # noqa: E402
import scale_steps  # noqa: E402

PROJECT_PREFIX = 'sbdeploytest'
SERVICES = ['bus', 'router', 'spark-gateway', 'twilio-gateway', 'ingress-web', 'sandbox', 'nginx']


class Steps:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.timings = []

    def run(self, name, step):
        started = time.monotonic()
        log(f'== {name}')
        try:
            step()
            self.passed += 1
            outcome = 'ok'
        except Skip as reason:
            self.skipped += 1
            outcome = 'SKIPPED'
            log(f'SKIPPED: {reason}')
        except Exception:
            self.failed += 1
            outcome = 'FAILED'
            traceback.print_exc()
        took = time.monotonic() - started
        self.timings.append((name, took, outcome))
        log(f'== {name}: {outcome} in {took:.1f} s')
        return outcome != 'FAILED'


def _owner_alive(name):
    """Whether the run that made this project (sbdeploytest<pid>...) is still running."""
    digits = ''
    for ch in name[len(PROJECT_PREFIX):]:
        if not ch.isdigit():
            break
        digits += ch
    return bool(digits) and os.path.exists(f'/proc/{digits}')


def remove_stale_projects(engine):
    """A killed earlier run may have left its stack behind: remove what no live run owns."""
    listed = engine.podman('ps', '-a', '--format', '{{index .Labels "com.docker.compose.project"}}',
                           check=False).stdout.split()
    for project in sorted(set(p for p in listed if p.startswith(PROJECT_PREFIX))):
        if _owner_alive(project):
            continue
        log(f'removing the stack a killed run left: {project}')
        ids = engine.podman('ps', '-a', '-q', '--filter', f'label=com.docker.compose.project={project}',
                            check=False).stdout.split()
        if ids:
            engine.podman('rm', '-f', '-t', '0', *ids, check=False)
    for kind in ('volume', 'network'):
        for name in engine.podman(kind, 'ls', '--format', '{{.Name}}', check=False).stdout.split():
            if name.startswith(PROJECT_PREFIX) and not _owner_alive(name):
                engine.podman(kind, 'rm', '-f', name, check=False)


def write_settings(engine, compose_dir, nginx_port, sandbox_port):
    """deploy/.env as the README says to make it: the demo's settings plus fresh bus keys (made by
    the image itself), and the published ports this run leased."""
    keys = engine.podman('run', '--rm', 'localhost/switchboard:latest', 'bus', '--generate-keys').stdout
    with open(os.path.join(compose_dir, 'env.demo')) as f:
        demo = f.read()
    with open(os.path.join(compose_dir, '.env'), 'w') as f:
        f.write(demo.rstrip('\n') + '\n' + keys.rstrip('\n') + '\n')
        # Replicas of ingress-web must sign and check the form's tokens with one secret.
        f.write(f'CSRF_SECRET={secrets.token_hex(32)}\n')
        f.write(f'NGINX_PUBLISHED_PORT={nginx_port}\nSANDBOX_PUBLISHED_PORT={sandbox_port}\n')
        # Customers spread over several partitions, so replicas share them (scale_steps.py).
        f.write(f'PARTITIONS={scale_steps.PARTITIONS}\n')
    return read_env(os.path.join(compose_dir, '.env'))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('source')
    parser.add_argument('--keep', action='store_true')
    args = parser.parse_args()
    source = os.path.abspath(args.source)
    began = time.monotonic()
    steps = Steps()
    workdir = tempfile.mkdtemp(prefix='switchboard-deploy-')
    project = f'{PROJECT_PREFIX}{os.getpid()}'
    engine = None
    stack = None
    health = None
    try:
        def prepare():
            nonlocal engine
            ensure_packages()
            engine = Engine(workdir)
            remove_stale_projects(engine)
            started = time.monotonic()
            made = engine.ensure_base_image()
            log(f'base image: {made} ({time.monotonic() - started:.1f} s)')
            started = time.monotonic()
            engine.build('localhost/switchboard:latest', os.path.join(source, 'deploy/Dockerfile'), source)
            engine.build('localhost/switchboard-nginx:latest',
                         os.path.join(source, 'deploy/nginx.Dockerfile'), os.path.join(source, 'deploy'))
            log(f'images built ({time.monotonic() - started:.1f} s)')
        if not steps.run('prepare: packages, base image, images', prepare):
            return finish(steps, began)

        # The shipped files, copied unchanged beside a fresh .env (the source tree's own deploy/.env,
        # if any, is never read or written).
        compose_dir = os.path.join(workdir, 'deploy')
        shutil.copytree(os.path.join(source, 'deploy'), compose_dir,
                        ignore=shutil.ignore_patterns('.env'))
        nginx_port, sandbox_port = lease_port(), lease_port()
        settings = write_settings(engine, compose_dir, nginx_port, sandbox_port)
        engine.start_service()
        stack = Stack(engine, source, compose_dir, project, settings, nginx_port, sandbox_port)
        health = HealthChecks(engine, project)
        health.start()

        import conversation_steps
        ok = True
        for name, step in conversation_steps.steps(stack):
            # After a failure only the clean-up checks run (none with --keep: the stack stays).
            if ok or (name.startswith(('volumes', 'down')) and not args.keep):
                ok = steps.run(name, step) and ok
        if not ok and args.keep:
            log(f'--keep: the stack {project} stays up (DOCKER_HOST={engine.docker_host()})')
            stack = None
            engine = None  # and so does the socket it is reached by
    except Exception:
        traceback.print_exc()
        steps.failed += 1
    finally:
        if health:
            health.stop()
        if stack:
            stack.compose('down', '-v', '--remove-orphans', '-t', '5', check=False)
        if engine:
            engine.stop_service()
            shutil.rmtree(workdir, ignore_errors=True)
    return finish(steps, began)


def finish(steps, began):
    for name, took, outcome in steps.timings:
        print(f'  {took:7.1f} s  {outcome:6}  {name}')
    print(f'deploy test took {time.monotonic() - began:.0f} s')
    print(f'{steps.passed} passed, {steps.failed} failed' +
          (f', {steps.skipped} skipped' if steps.skipped else ''))
    return 0 if steps.failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
