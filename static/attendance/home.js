// The attendance overview sends check-ins still waiting on this phone from any session's page.
import {createQueue, showQueueState} from "./queue.js";

const root = document.querySelector(".attendance-queue");
if (root && window.fetch && window.localStorage) {
  const state = root.querySelector(".queue-state");
  createQueue({
    url: null,
    user: root.dataset.user,
    onResults() {},
    onState: (waiting, offline) => showQueueState(root, state, waiting, waiting && offline),
  });
}
