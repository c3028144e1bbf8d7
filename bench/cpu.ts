// Where the CPU went during a measured window: this process (the load generator), the API
// server process(es) and the Postgres cluster (postmaster and every backend), read from /proc.
// Linux only; elsewhere the figures are reported as unavailable.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let tickHz: number | undefined;
function ticksPerSecond(): number {
  if (tickHz === undefined) {
    try {
      tickHz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      tickHz = 100;
    }
  }
  return tickHz;
}

interface ProcStat {
  ppid: number;
  /** utime + stime (+ cutime + cstime when asked), in ticks */
  ticks: number;
}

function procStat(pid: number, withChildren: boolean): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return { ppid: Number(f[1]), ticks: withChildren ? own + Number(f[13]) + Number(f[14]) : own };
  } catch {
    return undefined;
  }
}

function postgresTicks(postmasterPid: number): number {
  // The postmaster's cutime/cstime keep the CPU of backends that have already exited.
  let ticks = procStat(postmasterPid, true)?.ticks ?? 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name), false);
    if (s && s.ppid === postmasterPid) ticks += s.ticks;
  }
  return ticks;
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - v[3] - v[4], total };
}

export interface CpuSnapshot {
  at: number;
  loadgenUs: number;
  apiTicks: number;
  pgTicks: number;
  machine: { busy: number; total: number };
}

export interface CpuUse {
  /** CPU seconds used in the window */
  loadgenS: number;
  apiS: number;
  postgresS: number;
  /** share of the whole machine (all cores) that was busy, 0..1 */
  machineBusy: number;
  /** share of the whole machine used by anything else (other processes, the kernel's own threads) */
  othersShare: number;
}

export const cpuAvailable = () => existsSync('/proc/stat');

export function snapshot(apiPids: number[], postmasterPid: number | undefined): CpuSnapshot {
  const u = process.cpuUsage();
  const available = cpuAvailable();
  return {
    at: Date.now(),
    loadgenUs: u.user + u.system,
    apiTicks: available ? apiPids.reduce((sum, pid) => sum + (procStat(pid, false)?.ticks ?? 0), 0) : 0,
    pgTicks: available && postmasterPid ? postgresTicks(postmasterPid) : 0,
    machine: available ? machineTicks() : { busy: 0, total: 0 },
  };
}

export function used(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const hz = ticksPerSecond();
  const total = b.machine.total - a.machine.total;
  const loadgenS = (b.loadgenUs - a.loadgenUs) / 1e6;
  const apiS = (b.apiTicks - a.apiTicks) / hz;
  const postgresS = (b.pgTicks - a.pgTicks) / hz;
  // /proc/stat counts ticks summed over all cores, in the same USER_HZ as /proc/<pid>/stat.
  const busyS = (b.machine.busy - a.machine.busy) / hz;
  return {
    loadgenS,
    apiS,
    postgresS,
    machineBusy: total > 0 ? (b.machine.busy - a.machine.busy) / total : NaN,
    othersShare: total > 0 ? Math.max(0, busyS - loadgenS - apiS - postgresS) / (total / hz) : NaN,
  };
}

/** "cpu per op: loadgen 0.12 ms, api 0.80 ms, postgres 1.10 ms; machine 97% busy, others 2%"
 * Others well above a few percent means something else ran on the machine: the figures are low. */
export function describeCpu(u: CpuUse, ops: number): string {
  if (!cpuAvailable() || ops === 0) return 'cpu: unavailable';
  const per = (s: number) => `${((s * 1000) / ops).toFixed(3)} ms`;
  return `cpu per op: loadgen ${per(u.loadgenS)}, api ${per(u.apiS)}, postgres ${per(u.postgresS)}; machine ${(u.machineBusy * 100).toFixed(0)}% busy, others ${(u.othersShare * 100).toFixed(0)}%`;
}
