// A job's status page follows the job while it runs, and reloads when it ends to show the
// outcome. Progressive enhancement only: without this file the page has a Refresh link.
document.addEventListener("DOMContentLoaded", () => {
  const section = document.querySelector("[data-job-status]");
  const state = document.getElementById("job-state");
  const step = document.getElementById("job-step");
  const bar = document.getElementById("job-progress");
  const count = document.getElementById("job-count");
  if (!section || !state || !step || !bar || !count) return;
  const later = (ms) => window.setTimeout(poll, ms);
  async function poll() {
    let job;
    try {
      const answer = await fetch(section.dataset.jobStatus, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!answer.ok) return later(5000);
      job = await answer.json();
    } catch {
      return later(5000);
    }
    if (job.status !== "queued" && job.status !== "running") {
      window.location.reload();
      return;
    }
    // The live region speaks only when the state or the step changes, not at every unit.
    const label = state.dataset[job.status] || state.textContent;
    if (state.textContent !== label) state.textContent = label;
    const words = job.progress.description ? `: ${job.progress.description}` : "";
    if (step.textContent !== words) step.textContent = words;
    const { done, total } = job.progress;
    if (total) {
      bar.max = total;
      bar.value = Math.min(done, total);
      count.textContent = count.dataset.of.replace("{done}", done).replace("{total}", total);
    } else {
      bar.removeAttribute("value");
      count.textContent = done ? count.dataset.done.replace("{done}", done) : "";
    }
    bar.textContent = count.textContent;
    later(1000);
  }
  later(1000);
});
