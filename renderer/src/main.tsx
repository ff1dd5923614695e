// Renderer entry: Mantine theme, the API client, the app.
import '@mantine/core/styles.css';
import { createTheme, type CSSVariablesResolver, MantineProvider, Modal, NavLink } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ApiContext, connect } from './lib/api';

const theme = createTheme({
  primaryColor: 'teal',
  // Shade 9 keeps white button text and teal links above 4.5:1 contrast.
  primaryShade: { light: 9, dark: 8 },
  defaultRadius: 'sm',
  // Dark text on light filled colours (yellow, orange badges), white on dark ones.
  autoContrast: true,
  respectReducedMotion: true,
  luminanceThreshold: 0.2,
  // Every dialog's close button gets a name screen readers can announce.
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // The light variant's teal-on-pale-teal falls below AA contrast for the current page.
    NavLink: NavLink.extend({ defaultProps: { variant: 'filled', color: '#0b6e4f' } }),
  },
});
// Mantine's default "dimmed" grey and its light-variant text (teal on pale teal, and so on) fall
// below WCAG AA contrast; clinics read small print, so both are darkened, as are the filled
// orange and yellow (white on them is 4.3:1 and 3.2:1), and the primary teal's hover.
const palette = ['teal', 'red', 'blue', 'orange', 'grape', 'cyan', 'green', 'yellow', 'gray'];
const resolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-placeholder': '#5c636a',
    ...Object.fromEntries(palette.map((c) => [`--mantine-color-${c}-light-color`, `color-mix(in srgb, var(--mantine-color-${c}-9) 80%, black)`])),
    ...Object.fromEntries(['orange', 'yellow'].flatMap((c) => [
      [`--mantine-color-${c}-filled`, `color-mix(in srgb, var(--mantine-color-${c}-9) 80%, black)`],
      [`--mantine-color-${c}-filled-hover`, `color-mix(in srgb, var(--mantine-color-${c}-9) 70%, black)`],
    ])),
    // A hovered primary button goes a shade lighter by default (teal 8: white on it is 3.9:1); darker instead.
    '--mantine-color-teal-filled-hover': 'color-mix(in srgb, var(--mantine-color-teal-9) 85%, black)',
  },
  dark: {},
});

const root = document.getElementById('root');
if (!root) throw new Error('no #root');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={resolver}>
      <ApiContext.Provider value={connect()}>
        <App />
      </ApiContext.Provider>
    </MantineProvider>
  </StrictMode>,
);
