// The node side of free_port() in process.cpp: the same lease files, so the browser harnesses and
// the C++ tests running beside them under `ctest -j` are never handed the same port, and ports
// come from outside the ephemeral range, where no client's connect() can take them first.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const leases = join(tmpdir(), 'switchboard-test-ports');

function leaseRange() {
  let [low, high] = [32768, 60999];
  try {
    [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  } catch { /* keep Linux's defaults */ }
  return low > 12000 ? [10000, low] : [high + 1, 65536];
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function tryLease(file) {
  for (let attempt = 0; attempt < 2; ++attempt) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(file, 'utf8') || 0);
    if (!holder || alive(holder)) return false;
    rmSync(file, { force: true });
  }
  return false;
}

function bindable(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort() {
  mkdirSync(leases, { recursive: true });
  const [first, end] = leaseRange();
  const span = end - first;
  const start = Math.floor(Math.random() * span);
  for (let step = 0; step < span; ++step) {
    const port = first + ((start + step) % span);
    if (tryLease(join(leases, String(port))) && (await bindable(port))) return port;
  }
  throw new Error('freePort: no port left to lease');
}
