import { products, drugClasses } from '../shared/allergies/drug-table';
console.log(Object.keys(products).length, Object.keys(drugClasses).length);
