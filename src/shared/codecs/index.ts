export * from './payload';
export * from './display';
