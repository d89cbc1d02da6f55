/**
 * The live bench's clients, in a process of their own (so that receiving never shares a CPU queue with the server or
 * with the publisher in the bench process). Usage, via fork with an IPC channel:
 *   node live-subscribers.js graphql <http url> <count> <query>   — `count` graphql-ws connections, one subscription each
 *   node live-subscribers.js ws <ws url> <count>                   — `count` plain ws connections (the floor)
 * Sends "ready" once every connection is open (and every subscription has its first event), then on each "report"
 * message the receive times so far: for each message key (a featureUpdates openTime, or the floor message's id) the
 * epoch times in ms (performance.timeOrigin + performance.now(), sub-millisecond) at which each connection got it.
 */
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [mode, url, countText, query] = process.argv.slice(2);
const count = Number(countText);
const received = new Map<string, number[]>();
const now = () => performance.timeOrigin + performance.now();

function record(key: string): void {
  const at = now();
  let times = received.get(key);
  if (times === undefined) received.set(key, (times = []));
  times.push(at);
}

async function openGraphQL(): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, () => {
      const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
      return new Promise<void>((first, fail) => {
        let started = false;
        client.subscribe<{ featureUpdates: { openTime: string } }>(
          { query },
          {
            next: (message) => {
              if (!started) {
                started = true; // the current values: the subscription is live
                first();
                return;
              }
              record(message.data!.featureUpdates.openTime);
            },
            error: fail,
            complete: () => undefined,
          },
        );
      });
    }),
  );
}

async function openPlain(): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, () => {
      const socket = new WebSocket(url);
      socket.on("message", (data) => record(JSON.parse(String(data)).id));
      return new Promise((resolve, reject) => {
        socket.once("open", resolve);
        socket.once("error", reject);
      });
    }),
  );
}

void (mode === "ws" ? openPlain() : openGraphQL()).then(
  () => process.send!("ready"),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
process.on("message", (message) => {
  if (message === "report") process.send!({ received: [...received.entries()] });
  if (message === "exit") process.exit(0);
});
