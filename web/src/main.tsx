import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'urql';
import { auth, client } from './client.ts';
import { App } from './App.tsx';
import { forgetGraphiQLStateOnLogout } from './graphiql-storage.ts';
import './styles.css';

forgetGraphiQLStateOnLogout(auth, localStorage);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Provider value={client}>
      <App />
    </Provider>
  </StrictMode>,
);
