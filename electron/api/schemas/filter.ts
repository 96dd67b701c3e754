// The filter model is the engine's (it turns it into SQL); the API validates calls with it.
export * from '../../engine/query/filterModel';
