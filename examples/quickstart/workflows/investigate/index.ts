import { freemem, totalmem, uptime } from "node:os";
import { END, type WorkflowDefinition } from "@nerve/core";

/** Two roles, one after the other: gather facts, then summarise them. */
export default {
  roles: {
    gather: () => ({
      freeMemoryPct: Math.round((freemem() / totalmem()) * 100),
      uptimeMin: Math.round(uptime() / 60),
    }),
    summarise: ({ start, messages }) => {
      const facts = messages.at(-1);
      return `${start.prompt}; facts: ${JSON.stringify(facts?.kind === "role" ? facts.content : null)}`;
    },
  },
  moderator: ({ round }) => (round === 1 ? "gather" : round === 2 ? "summarise" : END),
} satisfies WorkflowDefinition;
