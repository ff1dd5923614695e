// The Electron shell's security posture as plain data and predicates, so a unit test in plain
// Node can check it and main/index.ts only applies it. Imports nothing from electron.
import { contentSecurityPolicy } from '../../shared/csp';

export interface WindowOptions {
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
  readonly show: boolean;
  readonly title: string;
  readonly backgroundColor: string;
  readonly webPreferences: {
    readonly preload: string;
    readonly contextIsolation: true;
    readonly sandbox: true;
    readonly nodeIntegration: false;
    readonly nodeIntegrationInWorker: false;
    readonly nodeIntegrationInSubFrames: false;
    readonly webSecurity: true;
    readonly allowRunningInsecureContent: false;
    readonly webviewTag: false;
    readonly spellcheck: false;
    readonly navigateOnDragDrop: false;
  };
}

export function mainWindowOptions(preload: string): WindowOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Chartroom',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Spellcheck would send typed words (PHI) to a dictionary service on some platforms.
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  };
}

/** Served as a response header for every app page; no inline or evaluated script. */
export const appContentSecurityPolicy = contentSecurityPolicy();

/**
 * Only camera and microphone, and screen capture (video visits), and only for the app's own
 * page. What a screen share may show is decided by `isScreenShareAllowed`.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string, appOrigin: string, mediaTypes: readonly string[] = []): boolean {
  if (!isAppUrl(requestingUrl, appOrigin)) return false;
  if (permission === 'display-capture') return true;
  if (permission !== 'media') return false;
  return mediaTypes.every((t) => t === 'video' || t === 'audio');
}

/**
 * A screen share in a video visit: asked by the app's own page, from a click, for video only.
 * What is shared is the Chartroom window itself (electron/main), never the desktop or another
 * application's windows, which could show other patients or anything else on the computer.
 */
export function isScreenShareAllowed(request: { securityOrigin: string; userGesture: boolean; videoRequested: boolean; audioRequested: boolean }, appOrigin: string): boolean {
  return isAppUrl(request.securityOrigin, appOrigin) && request.userGesture && request.videoRequested && !request.audioRequested;
}

/** The app's own origin: file:// for the packaged app, the dev server in development. */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    const u = new URL(url);
    if (appOrigin === 'file://') return u.protocol === 'file:';
    return u.origin === appOrigin;
  } catch {
    return false;
  }
}

/** The renderer never navigates: it is one page. Any attempt is refused. */
export function isNavigationAllowed(_url: string): boolean {
  return false;
}
