// simple-peer's prebuilt browser bundle (no Node polyfills needed), typed as the package.
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer from 'simple-peer';
  export default SimplePeer;
}
