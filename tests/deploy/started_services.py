# The services `docker-compose up` would start with this folder's .env, by docker-compose's own
# code (its profile rules, COMPOSE_PROFILES read from .env), without an engine.
import sys
sys.path.insert(0, '/usr/lib/python3/dist-packages')
from compose.cli.command import get_profiles_from_options
from compose.config import config
from compose.config.environment import Environment
from compose.project import Project

class NoEngine:  # what Project.from_config asks of the engine: nothing exists yet
    def __getattr__(self, name):
        def missing(*args, **kwargs):
            import docker.errors
            raise docker.errors.NotFound(name)
        return missing

env = Environment.from_env_file('.')
loaded = config.load(config.find('.', ['docker-compose.yml'], env))
project = Project.from_config('check', loaded, NoEngine(),
                              enabled_profiles=get_profiles_from_options({}, env))
print(' '.join(sorted(s.name for s in project.get_services())))
