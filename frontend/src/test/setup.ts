import { afterEach } from 'vitest';

// The e2e suite runs in the node environment (no DOM); component tests run in jsdom.
if (typeof window !== 'undefined') {
  await import('@testing-library/jest-dom/vitest');
  const { cleanup } = await import('@testing-library/react');
  afterEach(() => {
    cleanup();
    sessionStorage.clear();
  });
}
