import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { takeAddressToken } from './address-token.ts';
import { App } from './App.tsx';
import { SessionProvider } from './session.ts';
import './styles.css';

// Before anything renders: an emailed link's token leaves the address bar (and the history) at once.
takeAddressToken(location, history);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
