/* global require, process */
// Preloaded into the service by the benchmark only (`node --require`), never by production
// code: it measures the event-loop delay inside the service process with monitorEventLoopDelay
// (and its memory breakdown) and answers over the IPC channel that the benchmark opens.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { monitorEventLoopDelay } = require('node:perf_hooks');

if (typeof process.send === 'function') {
  // Same resolution as prom-client's nodejs_eventloop_lag_* metrics (10 ms).
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns) => ns / 1e6;
  process.on('message', (message) => {
    if (!message || typeof message.probe !== 'string') return;
    if (message.probe === 'eld-reset') {
      histogram.reset();
      process.send({ probe: message.probe, value: true });
    } else if (message.probe === 'memory') {
      const mb = (bytes) => Math.round(bytes / 1048576);
      const m = process.memoryUsage();
      process.send({
        probe: message.probe,
        value: {
          rss: mb(m.rss),
          heapTotal: mb(m.heapTotal),
          heapUsed: mb(m.heapUsed),
          external: mb(m.external),
        },
      });
    } else if (message.probe === 'eld-read') {
      process.send({
        probe: message.probe,
        value: {
          p50: ms(histogram.percentile(50)),
          p99: ms(histogram.percentile(99)),
          max: ms(histogram.max),
          mean: ms(histogram.mean),
          count: histogram.count,
        },
      });
    }
  });
  // Added after the listener, which would ref it again: the probe never keeps the process alive.
  process.channel.unref();
}
