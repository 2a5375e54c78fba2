// The `koa2` alias package (npm:koa@2) shares @types/koa with Koa 3.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
