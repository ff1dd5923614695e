// Renderer entry: Mantine theme, the API client, the app.
import '@mantine/core/styles.css';
import { createTheme, MantineProvider, Modal } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ApiContext, connect } from './lib/api';

const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'sm',
  // Every dialog's close button gets a name screen readers can announce.
  components: { Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }) },
});
const root = document.getElementById('root');
if (!root) throw new Error('no #root');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <ApiContext.Provider value={connect()}>
        <App />
      </ApiContext.Provider>
    </MantineProvider>
  </StrictMode>,
);
