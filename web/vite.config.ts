import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development Vite serves the app and forwards the API, so cookies stay first-party.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/graphql': 'http://localhost:4000', '/.well-known': 'http://localhost:4000' },
  },
});
