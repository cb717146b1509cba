import { readdirSync } from "node:fs";
import { cpus, freemem, totalmem, uptime } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { END, type RoleContext, type WorkflowDefinition } from "@nerve/core";
import type { Vitals } from "../../senses/vitals/compute.ts";

/** The watchdog's directive payload: the sample that started the checkup and its baseline. */
interface Launch {
  sample: Vitals;
  baseline: { load1: number | null; memoryPct: number | null; samples: number };
}

interface Examination {
  cpuBusyPct: number;
  processes: number | null;
  freeMemoryMiB: number;
  uptimeMin: number;
}

/**
 * Two roles, one after the other. `examine` looks closer than a sample does: how busy the CPUs
 * are over half a second, how many processes run. `report` weighs that against the sample and
 * its baseline and writes a one-line verdict — into the daemon's log (your terminal under
 * `nerve dev`) and into the thread, where the watchdog sense picks it up for its database.
 * Every message is committed to the log before the moderator picks the next role.
 */
export default {
  roles: {
    examine: async ({ signal }: RoleContext<Launch>): Promise<Examination> => {
      const before = cpuTimes();
      await sleep(500, undefined, { signal });
      const after = cpuTimes();
      return {
        cpuBusyPct: Math.round(
          (1 - (after.idle - before.idle) / (after.total - before.total)) * 100,
        ),
        processes: countProcesses(),
        freeMemoryMiB: Math.round(freemem() / 2 ** 20),
        uptimeMin: Math.round(uptime() / 60),
      };
    },
    report: ({ start, messages, logger }: RoleContext<Launch>): string => {
      const last = messages.at(-1);
      const exam = last?.kind === "role" ? (last.content as Examination) : null;
      const { sample, baseline } = start.payload;
      const busy = exam === null ? "" : `, CPUs ${exam.cpuBusyPct}% busy`;
      const procs = exam?.processes == null ? "" : `, ${exam.processes} processes`;
      const base = baseline.load1 === null ? "" : ` (baseline ${baseline.load1.toFixed(2)})`;
      const verdict =
        `${start.prompt}: load ${sample.load1}${base} on ${sample.cores} cores${busy}${procs}, ` +
        `memory ${sample.memoryPct}% used, ${sample.diskFreePct}% disk free — ` +
        (exam !== null && exam.cpuBusyPct > 90 ? "the machine is busy" : "all is well");
      logger.info(verdict);
      return verdict;
    },
  },
  moderator: ({ round }) => (round === 1 ? "examine" : round === 2 ? "report" : END),
} satisfies WorkflowDefinition<Launch>;

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.idle + cpu.times.irq;
  }
  return { idle, total };
}

/** Processes running, from /proc on Linux; null elsewhere. */
function countProcesses(): number | null {
  try {
    return readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).length;
  } catch {
    return null;
  }
}
