#!/usr/bin/env node
// Copied from the team's shared prometheus-local kit so CI has it, with NVLink, ECC and throttle
// fields added (marked below); replayed data, not real GPUs.
// A replay exporter in dcgm-exporter's text format (metric names and labels as NVIDIA's dcgm-exporter
// publishes them): HOSTS x GPUS GPUs whose values follow a fixed, deterministic curve over time, so a
// test can predict what Prometheus will return. It is a stand-in for real GPUs, not live data: say so
// wherever its numbers are shown.
// usage: node dcgm-replay.mjs PORT [HOST_LABEL] [GPUS]    prints "listening PORT" when ready.
import http from 'node:http';
const [port = '9400', host = 'node-1', gpus = '8'] = process.argv.slice(2);
const t0 = Date.now();
const M = [
  ['DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization (in %).', (t, g) => 90 + ((t + g) % 10)],
  ['DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used (in MiB).', (t, g) => 61000 + 100 * g + (t % 50)],
  ['DCGM_FI_DEV_FB_FREE', 'gauge', 'Framebuffer memory free (in MiB).', (t, g) => 81559 - (61000 + 100 * g + (t % 50))],
  ['DCGM_FI_DEV_POWER_USAGE', 'gauge', 'Power draw (in W).', (t, g) => 550 + g + (t % 7)],
  ['DCGM_FI_DEV_GPU_TEMP', 'gauge', 'GPU temperature (in C).', (t, g) => 60 + (g % 5)],
  ['DCGM_FI_DEV_SM_CLOCK', 'gauge', 'SM clock frequency (in MHz).', () => 1980],
  ['DCGM_FI_DEV_XID_ERRORS', 'gauge', 'Value of the last XID error encountered.', (t, g) => (g === 3 && t > 20 ? 79 : 0)],
  ['DCGM_FI_PROF_SM_ACTIVE', 'gauge', 'The ratio of cycles an SM has at least 1 warp assigned (in %).', (t, g) => 0.7 + 0.01 * g],
  ['DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 'gauge', 'Ratio of cycles the tensor (HMMA) pipe is active (in %).', (t, g) => 0.35 + 0.01 * g],
  ['DCGM_FI_PROF_DRAM_ACTIVE', 'gauge', 'Ratio of cycles the device memory interface is active sending or receiving data (in %).', () => 0.42],
  // Added for Gantry's health events and NVLink chart (not in the shared kit's copy): GPU 5 throttles
  // for heat after 10 s (NVML's HW thermal slowdown bit, 0x40), GPU 6 counts 2 double-bit ECC errors
  // after 15 s, the others are idle-clocked (0x1, not a health event). NVLink in bytes/s.
  ['DCGM_FI_PROF_NVLINK_TX_BYTES', 'gauge', 'The rate of data transmitted over NVLink, not including protocol headers, in bytes per second.', (t, g) => 2e10 + 1e9 * ((t + g) % 5)],
  ['DCGM_FI_PROF_NVLINK_RX_BYTES', 'gauge', 'The rate of data received over NVLink, not including protocol headers, in bytes per second.', (t, g) => 2e10 + 1e9 * ((t + g + 2) % 5)],
  ['DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', 'counter', 'Total number of double-bit volatile ECC errors.', (t, g) => (g === 6 && t > 15 ? 2 : 0)],
  ['DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', 'counter', 'Total number of single-bit volatile ECC errors.', () => 0],
  ['DCGM_FI_DEV_CLOCK_THROTTLE_REASONS', 'gauge', 'Frequency throttling reasons (bitmask).', (t, g) => (g === 5 && t > 10 ? 0x40 : 0x1)],
];
const labels = (g) => `gpu="${g}",UUID="GPU-${host}-${String(g).padStart(4, '0')}",pci_bus_id="00000000:${(0x18 + g * 0x10).toString(16).toUpperCase()}:00.0",device="nvidia${g}",modelName="NVIDIA H100 80GB HBM3",Hostname="${host}",DCGM_FI_DRIVER_VERSION="550.54.15"`;
http
  .createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    const t = Math.floor((Date.now() - t0) / 1000);
    let out = '';
    for (const [name, type, help, f] of M) {
      out += `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
      for (let g = 0; g < Number(gpus); g++) out += `${name}{${labels(g)}} ${f(t, g)}\n`;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(out);
  })
  .listen(Number(port), '127.0.0.1', () => console.log(`listening ${port}`));
