// Draws the funnel's bar chart with Chart.js on a canvas. This module is imported
// dynamically by Funnel.tsx, so Chart.js is in its own chunk that only this screen loads.
// Chart.js draws on the canvas and sets sizes through the CSSOM, which the CSP allows.

import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface FunnelRow {
  label: string;
  now: number;
  finished: number;
}

/** Draws the chart; returns a function that removes it. */
export function drawFunnel(canvas: HTMLCanvasElement, rows: readonly FunnelRow[]): () => void {
  const styles = getComputedStyle(document.documentElement);
  const colour = (name: string, fallback: string): string => styles.getPropertyValue(name).trim() || fallback;
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        { label: 'In this track now', data: rows.map((r) => r.now), backgroundColor: colour('--c-primary', '#0b5cad') },
        { label: 'Finished it', data: rows.map((r) => r.finished), backgroundColor: colour('--c-muted', '#566273') },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  return () => chart.destroy();
}
