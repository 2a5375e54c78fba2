// The `express4` alias package (npm:express@4) has no types of its own; its API is a subset of 5's here.
declare module 'express4' {
  import express from 'express';
  export default express;
}
